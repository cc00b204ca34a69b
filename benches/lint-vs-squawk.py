#!/usr/bin/env python3
"""ferry lint beside squawk on the trace set (tests/cli/fixtures/trace-set), with the
trace as the judge: which locking hazards each finds, and which of its alarms PostgreSQL
does not bear out.

    pip install squawk-cli   # squawk on PATH
    benches/lint-vs-squawk.py [path/to/ferry]   (default: target/release/ferry)

Each statement is a migration after the set's setup. A finding's claim is a rewrite (squawk's
changing-column-type and adding-field-with-default, ferry's rewrite rules), every row read
(ferry's constraint-not-valid and set-not-null) or a lock that makes other sessions wait (the
other locking rules); the trace of the same statements on the shadow confirms it (a table or
index rewritten; a table scanned; a lock blocking reads or writes of a relation that existed
before) or not — a false alarm. A hazard is a statement some tool's
locking finding the trace confirms. squawk's require-lock-timeout and
require-statement-timeout are left out (ferry sets lock_timeout on every migration), as are
rules about code compatibility and style (drops, renames, prefer-*).
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FERRY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/ferry")
SET = os.path.join(ROOT, "tests/cli/fixtures/trace-set")

SQUAWK_REWRITE = {"changing-column-type", "adding-field-with-default"}
SQUAWK_LOCK = {
    "adding-foreign-key-constraint", "adding-not-nullable-field", "adding-primary-key-constraint",
    "adding-serial-primary-key-field", "ban-alter-domain-with-add-constraint",
    "constraint-missing-not-valid", "disallowed-unique-constraint",
    "require-concurrent-index-creation", "require-concurrent-index-deletion",
    "require-concurrent-partition-detach", "require-concurrent-reindex",
    "ban-concurrent-index-creation-in-transaction",
}
FERRY_REWRITE = {"alter-column-type", "add-column-volatile-default", "vacuum-full", "cluster"}
FERRY_SCAN = {"constraint-not-valid", "set-not-null"}
FERRY_LOCK = {
    "index-not-concurrent", "constraint-builds-index", "foreign-key-locks-referenced",
    "drop-index-not-concurrent", "detach-partition-not-concurrent", "lock-table", "truncate",
    "reindex-not-concurrent",
}


def main():
    statements = open(os.path.join(SET, "statements.sql")).read().strip().split("\n\n")
    work = tempfile.mkdtemp()
    migrations = os.path.join(work, "migrations")
    os.mkdir(migrations)
    with open(os.path.join(migrations, "000001_setup.up.sql"), "w") as f:
        f.write(open(os.path.join(SET, "setup.sql")).read())
    names = []
    for i, sql in enumerate(statements):
        name = f"{i + 2:06}_s.up.sql"
        names.append(name)
        with open(os.path.join(migrations, name), "w") as f:
            f.write(sql + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    ferry = [FERRY, "--no-env-file", "--path", migrations]
    files = [os.path.join(migrations, n) for n in names]
    trace = json.loads(subprocess.run(ferry + ["trace", "--format", "json"] + files, env=env,
                                      cwd=work, capture_output=True, check=True).stdout)
    lint = json.loads(subprocess.run(ferry + ["lint", "--format", "json"] + files, env=env,
                                     cwd=work, capture_output=True).stdout)
    squawk = json.loads(subprocess.run(["squawk", "--reporter", "json"] + files, cwd=work,
                                       capture_output=True).stdout or "[]")
    by_file = {os.path.basename(s["file"]): s for s in trace["statements"]}

    def confirmed(name, claim):
        step = by_file[name]
        if claim == "rewrite":
            return bool(step["rewrites"])
        if claim == "scan":
            return bool(step["scans"])
        return any(lock["blocks"] for lock in step["locks"])

    found = {"squawk": {}, "ferry": {}}
    for f in squawk:
        rule = f["rule_name"]
        claim = "rewrite" if rule in SQUAWK_REWRITE else "lock" if rule in SQUAWK_LOCK else None
        if claim:
            found["squawk"].setdefault(os.path.basename(f["file"]), []).append((rule, claim))
    for f in lint["findings"]:
        rule = f["rule"]
        claim = ("rewrite" if rule in FERRY_REWRITE else "scan" if rule in FERRY_SCAN
                 else "lock" if rule in FERRY_LOCK else None)
        if claim:
            found["ferry"].setdefault(os.path.basename(f["file"]), []).append((rule, claim))
    hazards = set()
    false_alarms = {"squawk": [], "ferry": []}
    for tool, files_found in found.items():
        for name, claims in files_found.items():
            for rule, claim in claims:
                if confirmed(name, claim):
                    hazards.add(name)
                else:
                    false_alarms[tool].append((name, rule))
    print(f"{len(statements)} statements; {len(hazards)} locking hazards (a finding the trace confirms)\n")
    print("| | hazards found | missed | false alarms |")
    print("|---|---|---|---|")
    for tool in ("squawk", "ferry"):
        hit = {n for n, cs in found[tool].items() if any(confirmed(n, c) for _, c in cs)}
        print(f"| {tool} | {len(hit)} | {len(hazards - hit)} | {len(false_alarms[tool])} |")
    print()
    sql = dict(zip(names, statements))
    for tool in ("squawk", "ferry"):
        hit = {n for n, cs in found[tool].items() if any(confirmed(n, c) for _, c in cs)}
        for name in sorted(hazards - hit):
            print(f"- {tool} misses `{sql[name].splitlines()[-1]}`")
        for name, rule in false_alarms[tool]:
            print(f"- {tool} false alarm `{rule}` on `{sql[name].splitlines()[-1]}`")
    # What only the trace shows: a rewrite neither linter's words name.
    for name in names:
        step = by_file[name]
        if step["rewrites"] and not any(
            confirmed(name, c) for t in found for _, c in found[t].get(name, [])
        ):
            print(f"- neither names the rewrite of {', '.join(step['rewrites'])} by "
                  f"`{sql[name].splitlines()[-1]}` (`ferry lint --trace`: table-rewrite)")


if __name__ == "__main__":
    main()

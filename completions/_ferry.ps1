
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ferry' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ferry'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ferry' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply all (or the next N) pending migrations')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Roll back the last N (default 1) applied migrations, or all of them')
            [CompletionResult]::new('goto', 'goto', [CompletionResultType]::ParameterValue, 'Move up or down to version V')
            [CompletionResult]::new('force', 'force', [CompletionResultType]::ParameterValue, 'Set the version and clear the dirty flag without running anything')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the current version: `5`, `5 (dirty)` or `none`')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the connection and every migration with its state')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Record the migrations goose, dbmate, sqlx, sql-migrate or Flyway applied in ferry''s table, running nothing')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the migration files (and, with a database, checksums and order)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Write a new migration: NNNNNN_name.up.sql and .down.sql')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Drop everything the migrations made, then apply every migration (asks for confirmation)')
            [CompletionResult]::new('drop', 'drop', [CompletionResultType]::ParameterValue, 'Drop everything the migrations made and apply nothing (asks for confirmation)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Write a pg_dump of the database to FILE (default: `backups/<db>-<UTC time>.sql`)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a dump made by `ferry dump` or pg_dump, all or nothing (asks for confirmation)')
            [CompletionResult]::new('seed', 'seed', [CompletionResultType]::ParameterValue, 'Load seed data: .sql files as SQL, .csv files with COPY, in name order')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until the server accepts connections and answers a query')
            [CompletionResult]::new('psql', 'psql', [CompletionResultType]::ParameterValue, 'Open psql on the resolved connection (arguments after `--` go to psql)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;up' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--single-transaction', '--single-transaction', [CompletionResultType]::ParameterName, 'Apply every pending migration in one transaction: all or nothing')
            [CompletionResult]::new('--allow-out-of-order', '--allow-out-of-order', [CompletionResultType]::ParameterName, 'Apply pending migrations older than the current version')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;down' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Roll back every applied migration (asks for confirmation)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--allow-missing-down', '--allow-missing-down', [CompletionResultType]::ParameterName, 'Step over a migration that has no down: only the version moves (as golang-migrate and goose do)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;goto' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--allow-out-of-order', '--allow-out-of-order', [CompletionResultType]::ParameterName, 'Apply pending migrations older than the current version on the way up')
            [CompletionResult]::new('--allow-missing-down', '--allow-missing-down', [CompletionResultType]::ParameterName, 'Step over a migration that has no down on the way down: only the version moves')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;force' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;version' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;status' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--fail-on-pending', '--fail-on-pending', [CompletionResultType]::ParameterName, 'Exit 1 when any migration is pending (a CI gate)')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;adopt' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--allow-out-of-order', '--allow-out-of-order', [CompletionResultType]::ParameterName, 'Record versions even where the tool never applied a lower one (they stay pending)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be recorded and change nothing')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;validate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format for results on stdout')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;create' {
            [CompletionResult]::new('--digits', '--digits', [CompletionResultType]::ParameterName, 'Zero-pad sequential versions to this width [default: the directory''s, or 6]')
            [CompletionResult]::new('--ext', '--ext', [CompletionResultType]::ParameterName, 'File extension; only `sql` (accepted for golang-migrate''s `-ext sql`)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Version from the current UTC time (YYYYMMDDHHMMSS) instead of the next number')
            [CompletionResult]::new('--seq', '--seq', [CompletionResultType]::ParameterName, 'The next number after the highest version (the default, unless the directory uses timestamps)')
            [CompletionResult]::new('--single', '--single', [CompletionResultType]::ParameterName, 'One up-only file instead of an up/down pair')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;reset' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;drop' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;dump' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Dump format: plain SQL, or custom (pg_restore''s archive)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--schema-only', '--schema-only', [CompletionResultType]::ParameterName, 'Only the schema (and the migration bookkeeping rows, so a restore knows its version)')
            [CompletionResult]::new('--data-only', '--data-only', [CompletionResultType]::ParameterName, 'Only the data, without the bookkeeping tables (restore it into a migrated database)')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;restore' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--no-transaction', '--no-transaction', [CompletionResultType]::ParameterName, 'Run the dump statement by statement instead of in one transaction; a failure then leaves what ran before it')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;seed' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-transaction', '--no-transaction', [CompletionResultType]::ParameterName, 'Load each file on its own instead of all in one transaction')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Seed even when migrations are pending or the database is dirty')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;wait' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;psql' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;completions' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--migrations-dir', '--migrations-dir', [CompletionResultType]::ParameterName, 'Migrations directory [env: FERRY_PATH] [default: ./migrations]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Connection URL or libpq key=value string [env: DATABASE_URL]')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load environment variables from this file instead of ./.env')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the server to answer a connection [default: 10s]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'A command whose output is the password, run for each connection (an IAM token: `aws rds generate-db-auth-token …`) [env: FERRY_PASSWORD_COMMAND]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another migration run to finish [default: 15s]')
            [CompletionResult]::new('--lock-mode', '--lock-mode', [CompletionResultType]::ParameterName, 'How runs exclude each other: session (an advisory lock), transaction (through a transaction pooler), or auto [env: FERRY_LOCK_MODE] [default: auto]')
            [CompletionResult]::new('--ddl-lock-timeout', '--ddl-lock-timeout', [CompletionResultType]::ParameterName, 'How long a migration may wait for a table lock before it is retried; 0 waits forever [default: 5s]')
            [CompletionResult]::new('--ddl-retries', '--ddl-retries', [CompletionResultType]::ParameterName, 'How many times a migration that timed out waiting for a lock is tried again [default: 3]')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'statement_timeout for ferry''s session, overriding the role''s or server''s [default: the server''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours [env: NO_COLOR disables]')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not load a .env file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: the SQL of each migration and timings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ferry;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Apply all (or the next N) pending migrations')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Roll back the last N (default 1) applied migrations, or all of them')
            [CompletionResult]::new('goto', 'goto', [CompletionResultType]::ParameterValue, 'Move up or down to version V')
            [CompletionResult]::new('force', 'force', [CompletionResultType]::ParameterValue, 'Set the version and clear the dirty flag without running anything')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the current version: `5`, `5 (dirty)` or `none`')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the connection and every migration with its state')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Record the migrations goose, dbmate, sqlx, sql-migrate or Flyway applied in ferry''s table, running nothing')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the migration files (and, with a database, checksums and order)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Write a new migration: NNNNNN_name.up.sql and .down.sql')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Drop everything the migrations made, then apply every migration (asks for confirmation)')
            [CompletionResult]::new('drop', 'drop', [CompletionResultType]::ParameterValue, 'Drop everything the migrations made and apply nothing (asks for confirmation)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Write a pg_dump of the database to FILE (default: `backups/<db>-<UTC time>.sql`)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a dump made by `ferry dump` or pg_dump, all or nothing (asks for confirmation)')
            [CompletionResult]::new('seed', 'seed', [CompletionResultType]::ParameterValue, 'Load seed data: .sql files as SQL, .csv files with COPY, in name order')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until the server accepts connections and answers a query')
            [CompletionResult]::new('psql', 'psql', [CompletionResultType]::ParameterValue, 'Open psql on the resolved connection (arguments after `--` go to psql)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;help;up' {
            break
        }
        'ferry;help;down' {
            break
        }
        'ferry;help;goto' {
            break
        }
        'ferry;help;force' {
            break
        }
        'ferry;help;version' {
            break
        }
        'ferry;help;status' {
            break
        }
        'ferry;help;adopt' {
            break
        }
        'ferry;help;validate' {
            break
        }
        'ferry;help;create' {
            break
        }
        'ferry;help;reset' {
            break
        }
        'ferry;help;drop' {
            break
        }
        'ferry;help;dump' {
            break
        }
        'ferry;help;restore' {
            break
        }
        'ferry;help;seed' {
            break
        }
        'ferry;help;wait' {
            break
        }
        'ferry;help;psql' {
            break
        }
        'ferry;help;completions' {
            break
        }
        'ferry;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

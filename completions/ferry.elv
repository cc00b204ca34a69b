
use builtin;
use str;

set edit:completion:arg-completer[ferry] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ferry'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ferry'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand up 'Apply all (or the next N) pending migrations'
            cand down 'Roll back the last N (default 1) applied migrations, or all of them'
            cand goto 'Move up or down to version V'
            cand force 'Set the version and clear the dirty flag without running anything'
            cand version 'Print the current version: `5`, `5 (dirty)` or `none`'
            cand status 'Show the connection and every migration with its state'
            cand validate 'Check the migration files (and, with a database, checksums and order)'
            cand create 'Write a new migration: NNNNNN_name.up.sql and .down.sql'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ferry;up'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --dry-run 'Print the plan and change nothing'
            cand --single-transaction 'Apply every pending migration in one transaction: all or nothing'
            cand --allow-out-of-order 'Apply pending migrations older than the current version'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;down'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --all 'Roll back every applied migration (asks for confirmation)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;goto'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --allow-out-of-order 'Apply pending migrations older than the current version on the way up'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;force'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;version'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;status'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --fail-on-pending 'Exit 1 when any migration is pending (a CI gate)'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;validate'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;create'= {
            cand --digits 'Zero-pad sequential versions to this width [default: the directory''s, or 6]'
            cand --ext 'File extension; only `sql` (accepted for golang-migrate''s `-ext sql`)'
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --timestamp 'Version from the current UTC time (YYYYMMDDHHMMSS) instead of the next number'
            cand --seq 'The next number after the highest version (the default, unless the directory uses timestamps)'
            cand --single 'One up-only file instead of an up/down pair'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;completions'= {
            cand --path 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --source 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --migrations-dir 'Migrations directory [env: FERRY_PATH] [default: ./migrations]'
            cand --database-url 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --database 'Connection URL or libpq key=value string [env: DATABASE_URL]'
            cand --table 'Bookkeeping table, optionally schema-qualified [env: FERRY_TABLE] [default: schema_migrations]'
            cand --env-file 'Load environment variables from this file instead of ./.env'
            cand --connect-timeout 'How long to wait for the server to answer a connection [default: 10s]'
            cand --lock-timeout 'How long to wait for another migration run to finish [default: 15s]'
            cand --format 'Output format for results on stdout'
            cand --color 'When to use colours [env: NO_COLOR disables]'
            cand --no-env-file 'Do not load a .env file'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more: the SQL of each migration and timings'
            cand --verbose 'Print more: the SQL of each migration and timings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ferry;help'= {
            cand up 'Apply all (or the next N) pending migrations'
            cand down 'Roll back the last N (default 1) applied migrations, or all of them'
            cand goto 'Move up or down to version V'
            cand force 'Set the version and clear the dirty flag without running anything'
            cand version 'Print the current version: `5`, `5 (dirty)` or `none`'
            cand status 'Show the connection and every migration with its state'
            cand validate 'Check the migration files (and, with a database, checksums and order)'
            cand create 'Write a new migration: NNNNNN_name.up.sql and .down.sql'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ferry;help;up'= {
        }
        &'ferry;help;down'= {
        }
        &'ferry;help;goto'= {
        }
        &'ferry;help;force'= {
        }
        &'ferry;help;version'= {
        }
        &'ferry;help;status'= {
        }
        &'ferry;help;validate'= {
        }
        &'ferry;help;create'= {
        }
        &'ferry;help;completions'= {
        }
        &'ferry;help;help'= {
        }
    ]
    $completions[$command]
}

// Runs a command next to a throwaway PostgreSQL: starts it, exports where it is, runs the
// command, stops PostgreSQL, and exits with the command's exit code.
//   node scripts/postgres/with-postgres.mjs -- <command> [args...]
// Exported to the command:
//   BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING  (TestDatabases of @backstage/backend-test-utils)
//   MLOPS_TEST_POSTGRES_CONNECTION_STRING                       (the same, for node:test scripts)
//   MLOPS_REQUIRE_POSTGRES=1                                    (database tests fail instead of skipping PostgreSQL)
import { spawn } from 'node:child_process';
import { startPostgres } from './postgres.mjs';

const say = line => process.stderr.write(`with-postgres: ${line}\n`);
const argv = process.argv.slice(2);
const command = argv[0] === '--' ? argv.slice(1) : argv;
if (command.length === 0) {
  say('usage: with-postgres.mjs -- <command> [args...]');
  process.exit(2);
}

const pg = await startPostgres({ log: say });
const major = pg.version.split('.')[0];
const env = {
  ...process.env,
  [`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`]:
    pg.connectionString,
  MLOPS_TEST_POSTGRES_CONNECTION_STRING: pg.connectionString,
  MLOPS_REQUIRE_POSTGRES: '1',
};
const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
const forward = signal => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise(resolve => {
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  child.on('error', error => {
    say(`${command[0]}: ${error.message}`);
    resolve(127);
  });
});
await pg.stop();
say('PostgreSQL stopped');
process.exit(code);

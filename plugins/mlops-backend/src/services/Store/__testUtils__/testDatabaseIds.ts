import type { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_CONNECTION_ENV =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * The databases the plugin's database tests run on: SQLite always, plus every PostgreSQL whose
 * connection string TestDatabases finds in the environment (scripts/postgres/with-postgres.sh
 * sets one). With MLOPS_REQUIRE_POSTGRES=1 (command 2) a missing PostgreSQL is an error, where
 * TestDatabases would silently leave it out.
 */
export function testDatabaseIds(env = process.env): TestDatabaseId[] {
  const postgres = Object.keys(env)
    .filter(name => env[name])
    .map(name => POSTGRES_CONNECTION_ENV.exec(name)?.[1])
    .filter((major): major is string => Boolean(major))
    .sort((a, b) => Number(a) - Number(b))
    .map(major => `POSTGRES_${major}` as TestDatabaseId);
  if (env.MLOPS_REQUIRE_POSTGRES === '1' && postgres.length === 0) {
    throw new Error(
      'MLOPS_REQUIRE_POSTGRES=1 but no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING is set; run the tests through scripts/postgres/with-postgres.sh',
    );
  }
  return ['SQLITE_3', ...postgres];
}

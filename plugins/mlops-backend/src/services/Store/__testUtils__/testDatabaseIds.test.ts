import { testDatabaseIds } from './testDatabaseIds';

describe('testDatabaseIds', () => {
  it('adds each PostgreSQL whose connection string is set to SQLite', () => {
    expect(
      testDatabaseIds({
        BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING: 'postgresql://b',
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: 'postgresql://a',
        BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING: 'mysql://c',
        BACKSTAGE_TEST_DATABASE_POSTGRES16_CONNECTION_STRING: '',
      }),
    ).toEqual(['SQLITE_3', 'POSTGRES_15', 'POSTGRES_17']);
    expect(testDatabaseIds({})).toEqual(['SQLITE_3']);
  });

  it('fails instead of skipping PostgreSQL when MLOPS_REQUIRE_POSTGRES=1', () => {
    expect(() => testDatabaseIds({ MLOPS_REQUIRE_POSTGRES: '1' })).toThrow(
      /MLOPS_REQUIRE_POSTGRES=1 but no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING is set/,
    );
  });
});

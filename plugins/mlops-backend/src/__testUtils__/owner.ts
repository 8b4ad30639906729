/** The group that owns the test workloads and may deploy to every test namespace. */
export const OWNER = 'group:default/ml-platform-team';

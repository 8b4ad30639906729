// @ts-check

/**
 * The inventory's key becomes the object's identity, group/kind/namespace/name, with the
 * version kept as data: the API server serves one object under every version of its group,
 * so a key holding the version recorded a version bump as a second object, which prune then
 * deleted. Rows that name one object under several versions are merged into one with an
 * unknown hash, so the next pass applies it once more.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const groupOf = (/** @type {string} */ apiVersion) =>
    apiVersion.includes('/')
      ? apiVersion.slice(0, apiVersion.indexOf('/'))
      : '';
  const rows = await knex('mlops_inventory').select();
  /** @type {Map<string, any>} */
  const merged = new Map();
  for (const row of rows) {
    const group = groupOf(row.api_version);
    const id = [row.entity_ref, group, row.kind, row.namespace, row.name].join(
      '\0',
    );
    const seen = merged.get(id);
    merged.set(id, seen ? { ...seen, hash: '' } : { ...row, api_group: group });
  }
  await knex.schema.dropTable('mlops_inventory');
  await knex.schema.createTable('mlops_inventory', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('api_group', 255).notNullable();
    table.string('kind', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('api_version', 255).notNullable();
    table.string('hash', 64).notNullable();
    table.primary(['entity_ref', 'api_group', 'kind', 'namespace', 'name']);
    table.index(['entity_ref'], 'mlops_inventory_entity_idx');
  });
  const values = [...merged.values()];
  for (let i = 0; i < values.length; i += 100) {
    await knex('mlops_inventory').insert(values.slice(i, i + 100));
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const rows = await knex('mlops_inventory').select();
  await knex.schema.dropTable('mlops_inventory');
  await knex.schema.createTable('mlops_inventory', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('api_version', 255).notNullable();
    table.string('kind', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('hash', 64).notNullable();
    table.primary(['entity_ref', 'api_version', 'kind', 'namespace', 'name']);
    table.index(['entity_ref'], 'mlops_inventory_entity_idx');
  });
  for (let i = 0; i < rows.length; i += 100) {
    await knex('mlops_inventory').insert(
      rows.slice(i, i + 100).map(({ api_group: _group, ...row }) => row),
    );
  }
};

// @ts-check

/**
 * Reconcile records (one per entity) and the inventory of objects each entity applied,
 * which is what prune is allowed to delete.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mlops_entity_state', table => {
    table.string('entity_ref', 255).primary().notNullable();
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('revision', 64).nullable();
    table.string('result', 32).notNullable();
    table.text('message').nullable();
    table.text('objects').notNullable();
    table.integer('drift_count').notNullable().defaultTo(0);
    table.string('last_attempt_at', 32).notNullable();
    table.string('last_success_at', 32).nullable();
  });
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
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mlops_inventory');
  await knex.schema.dropTable('mlops_entity_state');
};

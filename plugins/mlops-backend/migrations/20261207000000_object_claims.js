// @ts-check

/**
 * Which entities declare which objects, written before anything is applied: two entities that
 * list one object both see it, and neither creates it while both do (DESIGN.md, ownership).
 * `object_id` is group/kind/namespace/name, the one identity of an object whatever version a
 * manifest names it by.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mlops_object_claims', table => {
    table.string('cluster', 255).notNullable();
    table.string('object_id', 1024).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.primary(['cluster', 'object_id', 'entity_ref']);
    table.index(['entity_ref'], 'mlops_object_claims_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mlops_object_claims');
};

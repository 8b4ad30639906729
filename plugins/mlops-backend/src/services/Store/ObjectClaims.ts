import type { Knex } from 'knex';

/** group/kind/namespace/name: one identity for an object whatever version names it. */
export type ObjectId = string;

/** Per object id, the entities other than the asking one that declare it. */
export type Claimants = Map<ObjectId, string[]>;

const CHUNK = 200;

/**
 * The objects each entity declares in its manifests, per cluster. Written before a pass applies
 * anything, so a second entity that lists an object is seen by both: by the owner as a contested
 * object, by the newcomer as a refusal. Rows of entities that left the catalog are dropped at the
 * start of a periodic pass.
 */
export class ObjectClaims {
  constructor(private readonly knex: Knex) {}

  /**
   * Records that the entity declares exactly `ids` on `cluster` (writing only when that changed)
   * and returns the other entities that declare any of them. The write commits before the read:
   * of two entities declaring one object at once, at least one then sees the other.
   */
  async declare(
    entityRef: string,
    cluster: string,
    ids: ObjectId[],
  ): Promise<Claimants> {
    await this.knex.transaction(async tx => {
      const own = await tx('mlops_object_claims')
        .where({ entity_ref: entityRef })
        .select('cluster', 'object_id');
      const wanted = new Set(ids.map(id => `${cluster}\0${id}`));
      const held = new Set(own.map(r => `${r.cluster}\0${r.object_id}`));
      if (wanted.size === held.size && [...wanted].every(k => held.has(k))) {
        return;
      }
      await tx('mlops_object_claims').where({ entity_ref: entityRef }).delete();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        // A sync racing the periodic pass writes the same rows.
        await tx('mlops_object_claims')
          .insert(
            unique.slice(i, i + CHUNK).map(id => ({
              cluster,
              object_id: id,
              entity_ref: entityRef,
            })),
          )
          .onConflict(['cluster', 'object_id', 'entity_ref'])
          .ignore();
      }
    });
    return this.othersIn(this.knex, entityRef, cluster, ids);
  }

  private async othersIn(
    db: Knex | Knex.Transaction,
    entityRef: string,
    cluster: string,
    ids: ObjectId[],
  ): Promise<Claimants> {
    const claimants: Claimants = new Map();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db('mlops_object_claims')
        .where({ cluster })
        .whereIn('object_id', ids.slice(i, i + CHUNK))
        .whereNot({ entity_ref: entityRef })
        .orderBy('entity_ref');
      for (const row of rows) {
        claimants.set(row.object_id, [
          ...(claimants.get(row.object_id) ?? []),
          row.entity_ref,
        ]);
      }
    }
    return claimants;
  }

  /** The entity declares nothing (refused before its objects were known). */
  async release(entityRef: string): Promise<void> {
    await this.knex('mlops_object_claims')
      .where({ entity_ref: entityRef })
      .delete();
  }

  /** Drops the rows of every entity not in `entityRefs` (those that left the catalog). */
  async releaseAllExcept(entityRefs: Set<string>): Promise<number> {
    const held: Array<{ entity_ref: string }> = await this.knex(
      'mlops_object_claims',
    ).distinct('entity_ref');
    const gone = held
      .map(r => r.entity_ref)
      .filter(ref => !entityRefs.has(ref));
    for (let i = 0; i < gone.length; i += CHUNK) {
      await this.knex('mlops_object_claims')
        .whereIn('entity_ref', gone.slice(i, i + CHUNK))
        .delete();
    }
    return gone.length;
  }

  /** Every claim, as cluster → object id → entity refs, for a pass that checks them all. */
  async list(): Promise<Map<string, Map<ObjectId, string[]>>> {
    const rows = await this.knex('mlops_object_claims').orderBy([
      'cluster',
      'object_id',
      'entity_ref',
    ]);
    const byCluster = new Map<string, Map<ObjectId, string[]>>();
    for (const row of rows) {
      const ids = byCluster.get(row.cluster) ?? new Map<ObjectId, string[]>();
      ids.set(row.object_id, [
        ...(ids.get(row.object_id) ?? []),
        row.entity_ref,
      ]);
      byCluster.set(row.cluster, ids);
    }
    return byCluster;
  }
}

import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import {
  apiGroupOf,
  type MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { Knex } from 'knex';
import type { InventoryItem } from '../Reconciler/inventory';
import { migrateLatest } from './migrate';
import { ObjectClaims } from './ObjectClaims';

export type { InventoryItem } from '../Reconciler/inventory';

/** Inventory rows in object-identity order: group, kind, namespace, name. */
const IDENTITY_ORDER = ['api_group', 'kind', 'namespace', 'name'];

const migrationsDir = resolvePackagePath(
  '@mlops-plugins/backstage-plugin-mlops-backend',
  'migrations',
);

/** The plugin's tables: reconcile records, per-entity inventories and object claims (SQLite or PostgreSQL). */
export class ReconcileStore {
  static async create(database: DatabaseService): Promise<ReconcileStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await migrateLatest(knex, migrationsDir);
    }
    return new ReconcileStore(knex);
  }

  private readonly isPostgres: boolean;
  /** Which entities declare which objects. */
  readonly claims: ObjectClaims;

  constructor(private readonly knex: Knex) {
    this.isPostgres = String(knex.client.config.client).includes('pg');
    this.claims = new ObjectClaims(knex);
  }

  async getInventory(entityRef: string): Promise<InventoryItem[]> {
    const rows = await this.knex('mlops_inventory')
      .where({ entity_ref: entityRef })
      .orderBy(IDENTITY_ORDER);
    return rows.map(toInventoryItem);
  }

  /** Every entity's inventory in one query, for a pass that checks them all. */
  async listInventories(): Promise<Map<string, InventoryItem[]>> {
    const rows = await this.knex('mlops_inventory').orderBy([
      'entity_ref',
      ...IDENTITY_ORDER,
    ]);
    const byRef = new Map<string, InventoryItem[]>();
    for (const row of rows) {
      const items = byRef.get(row.entity_ref);
      if (items) items.push(toInventoryItem(row));
      else byRef.set(row.entity_ref, [toInventoryItem(row)]);
    }
    return byRef;
  }

  /**
   * Replaces the entity's inventory in one transaction: the exact objects this pass owns.
   * Concurrent replacements of one entity (a pass on one replica, a sync on another) take
   * turns, so the last one wins whole instead of failing on the other's rows.
   */
  async replaceInventory(
    entityRef: string,
    cluster: string,
    items: InventoryItem[],
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      if (this.isPostgres) {
        // SQLite writes one transaction at a time already.
        await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
          `mlops_inventory:${entityRef}`,
        ]);
      }
      await tx('mlops_inventory').where({ entity_ref: entityRef }).delete();
      for (let i = 0; i < items.length; i += 100) {
        await tx('mlops_inventory').insert(
          items.slice(i, i + 100).map(({ key, hash }) => ({
            entity_ref: entityRef,
            cluster,
            api_group: apiGroupOf(key.apiVersion),
            api_version: key.apiVersion,
            kind: key.kind,
            namespace: key.namespace,
            name: key.name,
            hash,
          })),
        );
      }
    });
  }

  async saveStatus(status: MlopsReconcileStatus): Promise<void> {
    await this.knex('mlops_entity_state')
      .insert(toRow(status))
      .onConflict('entity_ref')
      .merge();
  }

  /**
   * Many records in a few statements, for a pass that checked many entities. A record saved
   * meanwhile from a later attempt (a sync) is kept: batched records may have waited a while.
   */
  async saveStatuses(statuses: MlopsReconcileStatus[]): Promise<void> {
    for (let i = 0; i < statuses.length; i += 100) {
      await this.knex('mlops_entity_state')
        .insert(statuses.slice(i, i + 100).map(toRow))
        .onConflict('entity_ref')
        .merge()
        .whereRaw(
          'mlops_entity_state.last_attempt_at <= excluded.last_attempt_at',
        );
    }
  }

  async getStatus(
    entityRef: string,
  ): Promise<MlopsReconcileStatus | undefined> {
    const row = await this.knex('mlops_entity_state')
      .where({ entity_ref: entityRef })
      .first();
    return row ? toStatus(row) : undefined;
  }

  /** Every reconcile record, or the first `limit` by entity ref. */
  async listStatuses(
    options: { limit?: number } = {},
  ): Promise<MlopsReconcileStatus[]> {
    const query = this.knex('mlops_entity_state').orderBy('entity_ref');
    if (options.limit !== undefined) query.limit(options.limit);
    const rows = await query;
    return rows.map(toStatus);
  }
}

function toRow(status: MlopsReconcileStatus) {
  return {
    entity_ref: status.entityRef,
    cluster: status.cluster,
    namespace: status.namespace,
    revision: status.revision ?? null,
    result: status.result,
    message: status.message ?? null,
    objects: JSON.stringify(status.objects),
    drift_count: status.driftCount,
    last_attempt_at: status.lastAttemptAt,
    last_success_at: status.lastSuccessAt ?? null,
  };
}

function toInventoryItem(row: any): InventoryItem {
  return {
    key: {
      apiVersion: row.api_version,
      kind: row.kind,
      namespace: row.namespace,
      name: row.name,
    },
    hash: row.hash,
  };
}

function toStatus(row: any): MlopsReconcileStatus {
  return {
    entityRef: row.entity_ref,
    cluster: row.cluster,
    namespace: row.namespace,
    revision: row.revision ?? undefined,
    result: row.result,
    message: row.message ?? undefined,
    objects: JSON.parse(row.objects),
    driftCount: row.drift_count,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at ?? undefined,
  };
}

import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ANNOTATION_MLOPS_MANIFESTS,
  isMlopsWorkload,
  mlopsWorkloadReadPermission,
  mlopsWorkloadSyncPermission,
  readMlopsAnnotations,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { entityLabelValue } from '../Reconciler/ownership';
import { principalKey } from './principalKey';
import { TtlCache } from './TtlCache';

/** An MLOps workload entity a caller may act on, and where its objects are. */
export interface Workload {
  /** The catalog entity; shared between requests, so never mutated. */
  entity: Entity;
  /** Lower-cased `kind:namespace/name`: the key of its reconcile record. */
  ref: string;
  /** Its `mlops/cluster`, or the only cluster configured; undefined when neither. */
  cluster?: string;
  /** Its `mlops/namespace`. */
  namespace: string;
  /** The `mlops/entity` label value its live objects carry. */
  entityLabel: string;
}

/**
 * May this principal see this entity, and what are its workloads. The MLOps permission is a
 * resource permission decided for the entity (so a policy can use the catalog's rules such as
 * isEntityOwner), and the entity must be one the catalog shows this caller. A denied permission
 * answers 403; unknown and invisible entities both answer 404.
 */
export interface EntityAccess {
  /** For the read routes: decisions and entities may be READ_STALENESS_MS old. */
  readable(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Workload>;
  /** For sync, which writes to a cluster: decided and read afresh every time. */
  syncable(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Workload>;
}

/**
 * The catalog's own read permission (`catalogEntityReadPermission` of
 * `@backstage/plugin-catalog-common`); policies match permissions by name.
 */
const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

export interface CatalogEntityAccessOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  /** For the plugin's own credentials, with which the shared workload list is read. */
  auth: AuthService;
  /** The cluster of an entity without `mlops/cluster`: the only one configured. */
  defaultCluster?: string;
  staleMs: number;
  /** Bound on remembered decisions. */
  maxEntries: number;
  now?: () => number;
}

interface PrincipalDecisions {
  /** `mlops.workload.read`: ALLOW and DENY hold for every entity; CONDITIONAL is per entity. */
  read: AuthorizeResult;
  /** `catalog.entity.read`: ALLOW means the catalog shows this caller every entity. */
  catalog: AuthorizeResult;
}

const refString = (ref: CompoundEntityRef) =>
  stringifyEntityRef(ref).toLowerCase();

/**
 * {@link EntityAccess} over the permission service and the catalog. A read costs, per principal
 * and staleness window, one permission request for both permissions it needs; and, for all
 * principals together, one catalog query listing every workload. The list is read with the
 * plugin's own credentials and shown only to a caller whose catalog read decision is an
 * unconditional ALLOW, which is exactly when the catalog would show it the same entities; any
 * other caller's entity is read from the catalog with its own credentials.
 */
export class CatalogEntityAccess implements EntityAccess {
  private readonly principals: TtlCache<string, PrincipalDecisions>;
  /** Per principal and entity, only where the read policy answered CONDITIONAL. */
  private readonly perEntity: TtlCache<string, AuthorizeResult>;
  private readonly workloads: TtlCache<'all', Map<string, Entity>>;

  constructor(private readonly options: CatalogEntityAccessOptions) {
    const { staleMs, now, maxEntries } = options;
    const refreshAheadMs = staleMs / 2;
    this.principals = new TtlCache({
      maxEntries,
      now,
      refreshAheadMs,
      ttlMs: () => staleMs,
    });
    this.perEntity = new TtlCache({
      maxEntries,
      now,
      refreshAheadMs,
      ttlMs: () => staleMs,
    });
    this.workloads = new TtlCache({
      maxEntries: 1,
      now,
      refreshAheadMs,
      ttlMs: () => staleMs,
    });
  }

  async readable(ref: CompoundEntityRef, credentials: BackstageCredentials) {
    const who = principalKey(credentials);
    if (!who) {
      // No principal to remember answers for: decide and read afresh.
      return this.fresh(mlopsWorkloadReadPermission, ref, credentials);
    }
    const decisions = await this.principals.get(who, () =>
      this.decideForPrincipal(credentials),
    );
    const read =
      decisions.read === AuthorizeResult.CONDITIONAL
        ? await this.perEntity.get(JSON.stringify([who, refString(ref)]), () =>
            this.decide(mlopsWorkloadReadPermission, ref, credentials),
          )
        : decisions.read;
    this.requireAllowed(read, mlopsWorkloadReadPermission);
    if (decisions.catalog === AuthorizeResult.DENY) {
      return this.workloadOf(ref, undefined);
    }
    const listed =
      decisions.catalog === AuthorizeResult.ALLOW
        ? (await this.workloads.get('all', () => this.listWorkloads())).get(
            refString(ref),
          )
        : undefined;
    // Not listed (registered since, or no workload), or a conditional catalog decision.
    return this.workloadOf(
      ref,
      listed ??
        (await this.options.catalog.getEntityByRef(ref, { credentials })),
    );
  }

  syncable(ref: CompoundEntityRef, credentials: BackstageCredentials) {
    return this.fresh(mlopsWorkloadSyncPermission, ref, credentials);
  }

  private async fresh(
    permission: ResourcePermission,
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ) {
    this.requireAllowed(
      await this.decide(permission, ref, credentials),
      permission,
    );
    return this.workloadOf(
      ref,
      await this.options.catalog.getEntityByRef(ref, { credentials }),
    );
  }

  private async decideForPrincipal(
    credentials: BackstageCredentials,
  ): Promise<PrincipalDecisions> {
    const [read, catalog] = await this.options.permissions.authorizeConditional(
      [
        { permission: mlopsWorkloadReadPermission },
        { permission: catalogEntityReadPermission },
      ],
      { credentials },
    );
    return { read: read.result, catalog: catalog.result };
  }

  private async decide(
    permission: ResourcePermission,
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: refString(ref) }],
      { credentials },
    );
    return decision.result;
  }

  private async listWorkloads() {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_MLOPS_MANIFESTS}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'apiVersion',
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return new Map(items.map(e => [stringifyEntityRef(e).toLowerCase(), e]));
  }

  private requireAllowed(
    result: AuthorizeResult,
    permission: ResourcePermission,
  ) {
    if (result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`missing permission ${permission.name}`);
    }
  }

  private workloadOf(
    ref: CompoundEntityRef,
    entity: Entity | undefined,
  ): Workload {
    const name = `${ref.kind}:${ref.namespace}/${ref.name}`;
    if (!entity) throw new NotFoundError(`entity ${name} not found`);
    if (!isMlopsWorkload(entity)) {
      throw new NotFoundError(
        `entity ${name} has no mlops/manifests annotation`,
      );
    }
    const annotations = readMlopsAnnotations(entity)!;
    const key = stringifyEntityRef(entity).toLowerCase();
    return {
      entity,
      ref: key,
      cluster: annotations.cluster ?? this.options.defaultCluster,
      namespace: annotations.namespace ?? 'default',
      entityLabel: entityLabelValue(key),
    };
  }
}

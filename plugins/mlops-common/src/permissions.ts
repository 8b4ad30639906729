import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read an MLOps workload's status and metrics. A resource permission on the catalog entity, so
 * a policy can decide per entity with the catalog's rules (`isEntityOwner`, `hasAnnotation`, …).
 * @public
 */
export const mlopsWorkloadReadPermission = createPermission({
  name: 'mlops.workload.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Reconcile an MLOps workload now (and confirm a large prune). A resource permission on the
 * catalog entity: "members of the owning group may sync" is `isEntityOwner`.
 * @public
 */
export const mlopsWorkloadSyncPermission = createPermission({
  name: 'mlops.workload.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the MLOps plugins. @public */
export const mlopsPermissions = [
  mlopsWorkloadReadPermission,
  mlopsWorkloadSyncPermission,
];

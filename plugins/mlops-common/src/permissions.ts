import { createPermission } from '@backstage/plugin-permission-common';

/** Read an MLOps workload's status and metrics. @public */
export const mlopsWorkloadReadPermission = createPermission({
  name: 'mlops.workload.read',
  attributes: { action: 'read' },
});

/** Reconcile an MLOps workload now (and confirm a large prune). @public */
export const mlopsWorkloadSyncPermission = createPermission({
  name: 'mlops.workload.sync',
  attributes: { action: 'update' },
});

/** Every permission of the MLOps plugins. @public */
export const mlopsPermissions = [
  mlopsWorkloadReadPermission,
  mlopsWorkloadSyncPermission,
];

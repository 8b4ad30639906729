import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  mlopsWorkloadReadPermission,
  mlopsWorkloadSyncPermission,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/**
 * The sample policy of docs/permissions.md: members of an entity's owning group (or its owning
 * user) may read and sync its MLOps workload; everything else is allowed.
 */
class MlopsOwnerPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isPermission(request.permission, mlopsWorkloadSyncPermission) ||
      isPermission(request.permission, mlopsWorkloadReadPermission)
    ) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const mlopsOwnerPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'mlops-owner-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new MlopsOwnerPolicy());
      },
    });
  },
});

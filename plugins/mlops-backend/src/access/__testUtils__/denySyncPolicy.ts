import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { mlopsWorkloadSyncPermission } from '@mlops-plugins/backstage-plugin-mlops-common';

/** A permission policy for tests: allows everything except sync to the listed users. */
class DenySyncPolicy implements PermissionPolicy {
  constructor(private readonly deniedUsers: string[]) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser) {
    const denied =
      request.permission.name === mlopsWorkloadSyncPermission.name &&
      this.deniedUsers.includes(user?.info.userEntityRef ?? '');
    return { result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW };
  }
}

/** The permission backend's policy, as a module: `mlops.workload.sync` denied to `deniedUsers`. */
export const denySyncPolicyModule = (deniedUsers: string[]) =>
  createBackendModule({
    pluginId: 'permission',
    moduleId: 'mlops-deny-sync-test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy }) {
          policy.setPolicy(new DenySyncPolicy(deniedUsers));
        },
      });
    },
  });

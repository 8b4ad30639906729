import type { KubeConfig } from '@kubernetes/client-node';
import { startControlPlane, type ControlPlane } from '../controlPlane';
import {
  ADMIN_CONTEXT,
  loadKubeConfig,
  RECONCILER_CONTEXT,
} from '../kubeconfig';

/** Set by `mlops-sandbox exec` (and so by the test command) for a run-wide control plane. */
export const KUBECONFIG_ENV = 'MLOPS_SANDBOX_KUBECONFIG';

export interface ControlPlaneConnection {
  kubeconfigPath: string;
  server: string;
  adminKubeConfig: KubeConfig;
  reconcilerKubeConfig: KubeConfig;
}

/**
 * Jest helper for integration tests: connects to the run-wide control plane when
 * MLOPS_SANDBOX_KUBECONFIG is set, otherwise starts one for this test file and stops it in
 * afterAll (also when tests fail). Call at the top of a describe block.
 */
export function useControlPlane(): () => ControlPlaneConnection {
  let connection: ControlPlaneConnection | undefined;
  let owned: ControlPlane | undefined;
  // Calls to a real API server take longer than jest's 5 s default on a loaded 2-core machine.
  jest.setTimeout(60_000);

  beforeAll(async () => {
    const shared = process.env[KUBECONFIG_ENV];
    if (shared) {
      const adminKubeConfig = loadKubeConfig(shared, ADMIN_CONTEXT);
      connection = {
        kubeconfigPath: shared,
        server: adminKubeConfig.getCurrentCluster()!.server,
        adminKubeConfig,
        reconcilerKubeConfig: loadKubeConfig(shared, RECONCILER_CONTEXT),
      };
    } else {
      owned = await startControlPlane();
      connection = owned;
    }
  }, 180_000);

  afterAll(async () => {
    await owned?.stop();
  }, 60_000);

  return () => {
    if (!connection) {
      throw new Error(
        'useControlPlane(): the control plane is not started (call it in a describe block)',
      );
    }
    return connection;
  };
}

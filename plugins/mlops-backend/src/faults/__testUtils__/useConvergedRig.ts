import { startControlPlane, type ControlPlane } from '@mlops-plugins/sandbox';
import { createConvergedRig, type FaultRig } from './faultRig';

/**
 * Registers hooks that start a control plane of the file's own, for a test that breaks it, with
 * a converged rig on it, and stop both after the file. Call in a describe block.
 */
export function useConvergedRigOnOwnPlane(namespace: string, names: string[]) {
  let plane: ControlPlane | undefined;
  let rig: FaultRig | undefined;

  beforeAll(async () => {
    plane = await startControlPlane();
    rig = await createConvergedRig(plane, namespace, names);
  }, 300_000);

  afterAll(async () => {
    await rig?.stop();
    await plane?.stop();
  }, 60_000);

  return () => ({ plane: plane!, rig: rig! });
}

import * as fixtures from './__fixtures__/rayClusters';
import { rayClusterHealth } from './rayCluster';

describe('RayCluster health (KubeRay v1.4 status)', () => {
  it('is healthy with state ready and HeadPodReady, counting ready workers', () => {
    expect(rayClusterHealth(fixtures.ready)).toEqual({
      health: 'healthy',
      reason: '2/2 workers ready',
    });
  });

  it('is progressing until the head pod is ready', () => {
    expect(rayClusterHealth(fixtures.headStarting)).toEqual({
      health: 'progressing',
      reason: 'head pod not ready',
    });
  });

  it('is degraded on a ReplicaFailure, even when ready', () => {
    expect(rayClusterHealth(fixtures.replicaFailure)).toEqual({
      health: 'degraded',
      reason: 'replica failure',
    });
  });

  it('is suspended by state or by the RayClusterSuspended condition', () => {
    const suspended = { health: 'suspended', reason: 'suspended' };
    expect(rayClusterHealth(fixtures.suspendedByState)).toEqual(suspended);
    expect(rayClusterHealth(fixtures.suspendedByCondition)).toEqual(suspended);
  });
});

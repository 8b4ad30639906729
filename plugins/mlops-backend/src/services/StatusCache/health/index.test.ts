import * as deployments from './__fixtures__/deployments';
import * as pvcs from './__fixtures__/persistentVolumeClaims';
import * as pytorchJobs from './__fixtures__/pytorchJobs';
import * as rayClusters from './__fixtures__/rayClusters';
import * as rayJobs from './__fixtures__/rayJobs';
import * as scaledObjects from './__fixtures__/scaledObjects';
import * as statefulSets from './__fixtures__/statefulSets';
import * as trainJobs from './__fixtures__/trainJobs';
import { objectStatus, type LiveObject } from '.';

describe('objectStatus', () => {
  it.each([
    [pytorchJobs.restartingJob, 'degraded', 'Restarting'],
    [trainJobs.completeJob, 'healthy', 'Complete'],
    [rayJobs.failed, 'failed', 'FAILED: AppFailed'],
    [rayClusters.ready, 'healthy', '2/2 workers ready'],
    [deployments.surgePodUp, 'progressing', 'rollout: 1 of 2 replicas updated'],
    [statefulSets.podRecreating, 'progressing', '2 of 3 pods ready'],
    [scaledObjects.fallback, 'degraded', 'ScaledObjectReady'],
    [pvcs.pending, 'progressing', 'Pending'],
  ])('applies the rules of the kind: %#', (o, health, reason) => {
    expect(objectStatus(o)).toEqual({
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      health,
      reason,
    });
  });

  it('counts a kind without rules healthy once it exists, and a missing namespace as empty', () => {
    const configMap: LiveObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'llama3-8b-chat-model-repository' },
    };
    expect(objectStatus(configMap)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: '',
      name: 'llama3-8b-chat-model-repository',
      health: 'healthy',
      reason: 'exists',
    });
    expect(objectStatus({ ...configMap, kind: 'toString' }).reason).toBe(
      'exists',
    );
  });
});

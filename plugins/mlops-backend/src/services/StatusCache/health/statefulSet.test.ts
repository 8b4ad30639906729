import * as fixtures from './__fixtures__/statefulSets';
import { statefulSetHealth } from './statefulSet';

describe('StatefulSet health (kubectl rollout status)', () => {
  it('is progressing until the controller observes the new generation', () => {
    expect(statefulSetHealth(fixtures.newGenerationUnobserved)).toEqual({
      health: 'progressing',
      reason: 'waiting for the controller to observe generation 3 (observed 2)',
    });
  });

  it('is progressing while fewer pods are ready than desired', () => {
    expect(statefulSetHealth(fixtures.podRecreating)).toEqual({
      health: 'progressing',
      reason: '2 of 3 pods ready',
    });
  });

  it('is progressing while pods above the partition are not all updated', () => {
    expect(statefulSetHealth(fixtures.rollingUpdate)).toEqual({
      health: 'progressing',
      reason: 'rollout: 1 of 3 pods updated',
    });
    expect(statefulSetHealth(fixtures.partitionedInProgress)).toEqual({
      health: 'progressing',
      reason: 'rollout: 1 of 2 pods updated (partition 1)',
    });
  });

  it('is progressing until the update revision becomes the current one', () => {
    expect(statefulSetHealth(fixtures.revisionNotCurrent)).toEqual({
      health: 'progressing',
      reason:
        'rollout: waiting for revision triton-llama-84f9c96b2d to become current',
    });
  });

  it('is healthy once a partitioned rollout has updated every pod above the partition', () => {
    expect(statefulSetHealth(fixtures.partitionedCanaryDone)).toEqual({
      health: 'healthy',
      reason: '3/3 pods ready, 1 updated (partition 2)',
    });
  });

  it('is healthy with OnDelete once all pods are ready, whatever their revision', () => {
    expect(statefulSetHealth(fixtures.onDeletePending)).toEqual({
      health: 'healthy',
      reason: '3/3 pods ready (OnDelete: pods update when deleted)',
    });
  });

  it('is healthy when every pod is ready at the current revision', () => {
    expect(statefulSetHealth(fixtures.rolledOut)).toEqual({
      health: 'healthy',
      reason: '3/3 pods ready',
    });
  });
});

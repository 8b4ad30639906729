import * as fixtures from './__fixtures__/scaledObjects';
import { scaledObjectHealth, scaledObjectStatus } from './scaledObject';

describe('ScaledObject health (KEDA v2.20 status)', () => {
  it('is healthy when Ready, with limits and triggers matched to their metric health', () => {
    const s = scaledObjectStatus(fixtures.ready);
    expect(s).toMatchObject({
      name: 'llama3-8b-chat',
      health: 'healthy',
      hpaName: 'keda-hpa-llama3-8b-chat',
      minReplicas: 1,
      maxReplicas: 4,
      cooldownSeconds: 360,
      pollingIntervalSeconds: 15,
      lastActiveTime: '2026-11-26T11:58:45Z',
      paused: false,
    });
    expect(s.triggers).toEqual([
      {
        name: 'queue-depth',
        type: 'prometheus',
        metricName: 's0-prometheus',
        query: 'sum(vllm:num_requests_waiting)',
        threshold: '8',
        health: 'Happy',
      },
      {
        name: 'gpu',
        type: 'prometheus',
        metricName: 's1-prometheus',
        query: 'avg(DCGM_FI_DEV_GPU_UTIL)',
        threshold: '80',
        health: 'Failing',
      },
    ]);
    expect(scaledObjectHealth(fixtures.ready).reason).toBe('ScaledObjectReady');
  });

  it('is degraded while a Fallback is in force', () => {
    expect(scaledObjectHealth(fixtures.fallback)).toEqual({
      health: 'degraded',
      reason: 'ScaledObjectReady',
    });
  });

  it('is failed when not Ready', () => {
    expect(scaledObjectHealth(fixtures.checkFailed)).toEqual({
      health: 'failed',
      reason: 'ScaledObjectCheckFailed',
    });
  });

  it('is suspended when paused, by condition or by annotation alone', () => {
    expect(scaledObjectStatus(fixtures.pausedByAnnotation)).toMatchObject({
      health: 'suspended',
      paused: true,
    });
    expect(scaledObjectStatus(fixtures.pauseAnnotationOnly)).toMatchObject({
      health: 'suspended',
      paused: true,
    });
  });

  it('is progressing before KEDA has reconciled it', () => {
    expect(scaledObjectHealth(fixtures.unreconciled)).toEqual({
      health: 'progressing',
      reason: 'no Ready condition yet',
    });
  });
});

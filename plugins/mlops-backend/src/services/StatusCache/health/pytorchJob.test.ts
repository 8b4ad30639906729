import * as fixtures from './__fixtures__/pytorchJobs';
import { pytorchJobHealth, pytorchJobStatus } from './pytorchJob';

const NOW = Date.parse('2026-11-26T12:00:00Z');

describe('PyTorchJob health (training-operator v1.9 status)', () => {
  it('is healthy while Running, with replica counts, elapsed time and clean-pod policy', () => {
    expect(pytorchJobStatus(fixtures.runningJob, NOW)).toMatchObject({
      kind: 'PyTorchJob',
      name: 'resnet50-ddp',
      phase: 'Running',
      health: 'healthy',
      replicas: {
        Master: { active: 1, succeeded: 0, failed: 0 },
        Worker: { active: 2, succeeded: 0, failed: 1 },
      },
      startTime: '2026-11-26T11:00:00Z',
      durationSeconds: 3600,
      restarts: 0,
      cleanPodPolicy: 'Running',
    });
  });

  it('is progressing while only Created', () => {
    expect(pytorchJobHealth(fixtures.createdJob)).toEqual({
      health: 'progressing',
      reason: 'Created',
    });
  });

  it('is progressing, not healthy, the moment it exists without status', () => {
    expect(pytorchJobHealth(fixtures.newJob)).toEqual({
      health: 'progressing',
      reason: 'Pending',
    });
  });

  it('is degraded while Restarting, and counts the restart', () => {
    expect(pytorchJobStatus(fixtures.restartingJob, NOW)).toMatchObject({
      phase: 'Restarting',
      health: 'degraded',
      restarts: 1,
    });
  });

  it('is healthy after Succeeded, with the total duration', () => {
    expect(pytorchJobStatus(fixtures.succeededJob, NOW)).toMatchObject({
      phase: 'Succeeded',
      health: 'healthy',
      completionTime: '2026-11-26T11:45:00Z',
      durationSeconds: 2700,
    });
  });

  it('is failed after Failed, with the total duration', () => {
    expect(pytorchJobStatus(fixtures.failedJob, NOW)).toMatchObject({
      phase: 'Failed',
      health: 'failed',
      durationSeconds: 1800,
    });
  });

  it('is suspended while Suspended', () => {
    expect(pytorchJobHealth(fixtures.suspendedJob)).toEqual({
      health: 'suspended',
      reason: 'Suspended',
    });
  });
});

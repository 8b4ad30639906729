import * as fixtures from './__fixtures__/trainJobs';
import { trainJobHealth, trainJobStatus } from './trainJob';

const NOW = Date.parse('2026-11-26T12:00:00Z');

describe('TrainJob health (Kubeflow Trainer v2 status)', () => {
  it('is progressing and Pending without status or conditions', () => {
    expect(trainJobHealth(fixtures.newJob)).toEqual({
      health: 'progressing',
      reason: 'Pending',
    });
    expect(trainJobHealth(fixtures.pendingJob)).toEqual({
      health: 'progressing',
      reason: 'Pending',
    });
  });

  it('is healthy and Running with conditions but none of Complete, Failed, Suspended true', () => {
    expect(trainJobStatus(fixtures.resumedJob, NOW)).toMatchObject({
      phase: 'Running',
      health: 'healthy',
      replicas: { node: { active: 2, succeeded: 0, failed: 0 } },
      startTime: '2026-11-26T11:00:00Z',
      durationSeconds: 3600,
    });
  });

  it('is healthy when Complete, timed from creation to completion', () => {
    expect(trainJobStatus(fixtures.completeJob, NOW)).toMatchObject({
      phase: 'Complete',
      health: 'healthy',
      completionTime: '2026-11-26T11:10:00Z',
      durationSeconds: 600,
      replicas: { node: { active: 0, succeeded: 2, failed: 0 } },
    });
  });

  it('is failed when Failed', () => {
    expect(trainJobStatus(fixtures.failedJob, NOW)).toMatchObject({
      phase: 'Failed',
      health: 'failed',
      durationSeconds: 1200,
    });
  });

  it('is suspended when Suspended', () => {
    expect(trainJobHealth(fixtures.suspendedJob)).toEqual({
      health: 'suspended',
      reason: 'Suspended',
    });
  });
});

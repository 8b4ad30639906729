import * as fixtures from './__fixtures__/rayJobs';
import { rayJobHealth, rayJobStatus } from './rayJob';

const NOW = Date.parse('2026-11-26T12:00:00Z');

describe('RayJob health (KubeRay v1.4 status)', () => {
  it.each([
    ['SUCCEEDED is healthy', fixtures.succeeded, 'healthy', 'SUCCEEDED'],
    ['RUNNING is healthy', fixtures.running, 'healthy', 'RUNNING'],
    ['FAILED is failed', fixtures.failed, 'failed', 'FAILED'],
    [
      'a ValidationFailed deployment is failed',
      fixtures.validationFailed,
      'failed',
      'ValidationFailed',
    ],
    ['Retrying is degraded', fixtures.retrying, 'degraded', 'FAILED'],
    [
      'Retrying before the new attempt reports a jobStatus is degraded',
      fixtures.retryingNewAttempt,
      'degraded',
      'Retrying',
    ],
    ['STOPPED is suspended', fixtures.stopped, 'suspended', 'STOPPED'],
    [
      'a Suspended deployment is suspended',
      fixtures.suspended,
      'suspended',
      'Suspended',
    ],
    [
      'Initializing is progressing',
      fixtures.initializing,
      'progressing',
      'Initializing',
    ],
    ['PENDING is progressing', fixtures.submitted, 'progressing', 'PENDING'],
    ['no status is progressing', fixtures.newJob, 'progressing', 'Pending'],
  ])('%s', (_, job, health, phase) => {
    expect(rayJobStatus(job)).toMatchObject({ health, phase });
  });

  it('is timed from startTime to endTime', () => {
    expect(rayJobStatus(fixtures.succeeded, NOW)).toMatchObject({
      startTime: '2026-11-26T11:00:00Z',
      completionTime: '2026-11-26T11:40:00Z',
      durationSeconds: 2400,
    });
    expect(rayJobStatus(fixtures.running, NOW).durationSeconds).toBe(3600);
  });

  it('does not count the terminal failure as a restart, only the attempts before it', () => {
    expect(rayJobStatus(fixtures.failed).restarts).toBe(2);
    expect(rayJobStatus(fixtures.retryingNewAttempt).restarts).toBe(2);
    expect(rayJobStatus(fixtures.running).restarts).toBe(0);
  });

  it("names KubeRay's reason next to the phase", () => {
    expect(rayJobHealth(fixtures.failed)).toEqual({
      health: 'failed',
      reason: 'FAILED: AppFailed',
    });
    expect(rayJobHealth(fixtures.running).reason).toBe('RUNNING');
  });
});

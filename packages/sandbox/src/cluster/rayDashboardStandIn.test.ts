import type { KubeObject } from './kubeClient';
import { SIMULATE_ANNOTATION } from './pytorchJobStandIn';
import { headServiceNamespace, rayJobInfo } from './rayDashboardStandIn';

const rayJob = (annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: 'train', namespace: 'ml-training', annotations },
  spec: { entrypoint: 'python train_ray.py' },
  status: { jobId: 'train-abc12' },
});

const submitter = (phase: string, terminated?: object): KubeObject => ({
  metadata: { name: 'train-x7k2p' },
  status: {
    phase,
    startTime: '2026-01-01T00:00:00Z',
    containerStatuses: [{ state: terminated ? { terminated } : {} }],
  },
});

describe('Ray dashboard stand-in', () => {
  it('takes the namespace from a head service host the operator builds', () => {
    expect(
      headServiceNamespace(
        'train-r8x-head-svc.ml-training.svc.cluster.local:8265',
      ),
    ).toBe('ml-training');
    expect(headServiceNamespace('example.com:8265')).toBeUndefined();
    expect(headServiceNamespace('a.b.c.svc.cluster.local')).toBeUndefined();
  });

  it('knows no job before the submitter pod runs, as Ray before a submission', () => {
    expect(rayJobInfo(rayJob(), undefined)).toBeUndefined();
    expect(rayJobInfo(rayJob(), submitter('Pending'))).toBeUndefined();
  });

  it('follows the submitter pod: RUNNING, then SUCCEEDED with start and end times', () => {
    expect(rayJobInfo(rayJob(), submitter('Running'))).toMatchObject({
      submission_id: 'train-abc12',
      status: 'RUNNING',
      entrypoint: 'python train_ray.py',
      start_time: Date.parse('2026-01-01T00:00:00Z'),
      end_time: undefined,
    });
    const done = rayJobInfo(
      rayJob(),
      submitter('Succeeded', {
        exitCode: 0,
        finishedAt: '2026-01-01T00:01:00Z',
      }),
    );
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      end_time: Date.parse('2026-01-01T00:01:00Z'),
    });
  });

  it('reports FAILED for a failed submitter or a simulated failure', () => {
    expect(
      rayJobInfo(rayJob(), submitter('Failed', { exitCode: 3 }))?.message,
    ).toContain('exit code 3');
    expect(
      rayJobInfo(
        rayJob({ [SIMULATE_ANNOTATION]: 'failure' }),
        submitter('Succeeded', { exitCode: 0 }),
      ),
    ).toMatchObject({ status: 'FAILED' });
  });
});

import * as fixtures from './__fixtures__/deployments';
import { deploymentHealth } from './deployment';

describe('Deployment health (kubectl rollout status)', () => {
  it('is suspended while the rollout is paused', () => {
    expect(deploymentHealth(fixtures.paused)).toEqual({
      health: 'suspended',
      reason: 'rollout paused (spec.paused)',
    });
  });

  it('is progressing, not degraded, until the controller observes the new generation', () => {
    expect(deploymentHealth(fixtures.newGenerationUnobserved)).toEqual({
      health: 'progressing',
      reason: 'waiting for the controller to observe generation 4 (observed 3)',
    });
    expect(deploymentHealth(fixtures.justCreated)).toEqual({
      health: 'progressing',
      reason: 'waiting for the controller to observe generation 1 (observed 0)',
    });
  });

  it('is degraded with the controller message once the progress deadline is exceeded', () => {
    expect(deploymentHealth(fixtures.progressDeadlineExceeded)).toEqual({
      health: 'degraded',
      reason:
        'ProgressDeadlineExceeded: ReplicaSet "llama3-8b-chat-5b8d6f9c47" has timed out progressing.',
    });
  });

  it('is progressing while fewer replicas are updated than desired, even with enough available', () => {
    expect(fixtures.surgePodUp.status.availableReplicas).toBeGreaterThanOrEqual(
      fixtures.surgePodUp.spec.replicas,
    );
    expect(deploymentHealth(fixtures.surgePodUp)).toEqual({
      health: 'progressing',
      reason: 'rollout: 1 of 2 replicas updated',
    });
  });

  it('is progressing while old replicas are pending termination', () => {
    expect(deploymentHealth(fixtures.oldPodTerminating)).toEqual({
      health: 'progressing',
      reason: 'rollout: 1 old replicas pending termination',
    });
  });

  it('is progressing while updated replicas are not all available', () => {
    expect(deploymentHealth(fixtures.updatedPodLoading)).toEqual({
      health: 'progressing',
      reason: 'rollout: 1 of 2 updated replicas available',
    });
  });

  it('is healthy once every replica is updated and available', () => {
    expect(deploymentHealth(fixtures.rolledOut)).toEqual({
      health: 'healthy',
      reason: '2/2 replicas available',
    });
  });

  it('is healthy scaled to zero, with the zero counts omitted', () => {
    expect(deploymentHealth(fixtures.scaledToZero)).toEqual({
      health: 'healthy',
      reason: '0/0 replicas available',
    });
  });
});

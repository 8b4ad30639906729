import {
  DEFAULT_TRITON_TRTLLM_IMAGE,
  DEFAULT_TRITON_VLLM_IMAGE,
  DEFAULT_VLLM_IMAGE,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import * as deployments from './__fixtures__/deployments';
import * as statefulSets from './__fixtures__/statefulSets';
import type { LiveObject } from './liveObject';
import { servingStatus } from './serving';

const withImage = (o: LiveObject, image: string, command?: string[]) => ({
  ...o,
  spec: {
    ...o.spec,
    template: { spec: { containers: [{ name: 'server', image, command }] } },
  },
});

describe('servingStatus', () => {
  it('reports the replica counts, the rollout health and the engine of a Deployment', () => {
    expect(servingStatus(deployments.rolledOut)).toEqual({
      kind: 'Deployment',
      name: 'llama3-8b-chat',
      desiredReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      health: 'healthy',
      engine: 'vllm',
    });
  });

  it('is progressing mid-rollout although enough replicas are available', () => {
    expect(servingStatus(deployments.surgePodUp)).toMatchObject({
      availableReplicas: 3,
      updatedReplicas: 1,
      health: 'progressing',
    });
  });

  it('follows the StatefulSet rules for a StatefulSet', () => {
    expect(servingStatus(statefulSets.revisionNotCurrent)).toMatchObject({
      kind: 'StatefulSet',
      health: 'progressing',
      engine: 'triton',
    });
  });

  it('counts zero for the counts the API server omits', () => {
    expect(servingStatus(deployments.scaledToZero)).toMatchObject({
      desiredReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      updatedReplicas: 0,
      health: 'healthy',
    });
  });

  it.each([
    [DEFAULT_VLLM_IMAGE, 'vllm'],
    // Its tag contains `vllm`, but the server is Triton and so are its metrics.
    [DEFAULT_TRITON_VLLM_IMAGE, 'triton'],
    [DEFAULT_TRITON_TRTLLM_IMAGE, 'triton'],
    ['nginx:1.29', 'unknown'],
  ])('names the engine of %s: %s', (image, engine) => {
    expect(servingStatus(withImage(deployments.rolledOut, image)).engine).toBe(
      engine,
    );
  });
});

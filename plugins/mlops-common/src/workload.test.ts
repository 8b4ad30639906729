import type { Entity } from '@backstage/catalog-model';
import {
  isMlopsWorkload,
  isServingWorkload,
  isTrainingWorkload,
  readMlopsAnnotations,
} from './workload';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'llama3-8b-chat', annotations },
    spec: {
      type: 'model-server',
      owner: 'group:default/ml-platform',
      lifecycle: 'production',
    },
  };
}

describe('readMlopsAnnotations', () => {
  it('reads every annotation of a serving workload', () => {
    const entity = component({
      'mlops/manifests': './deploy',
      'mlops/namespace': 'ml-serving',
      'mlops/cluster': 'gpu-east',
      'mlops/workload': 'serving',
      'backstage.io/kubernetes-id': 'llama3-8b-chat',
    });
    expect(readMlopsAnnotations(entity)).toEqual({
      manifests: './deploy',
      namespace: 'ml-serving',
      cluster: 'gpu-east',
      workload: 'serving',
      kubernetesId: 'llama3-8b-chat',
    });
  });

  it('is undefined without mlops/manifests, even when other mlops annotations exist', () => {
    const entity = component({
      'mlops/workload': 'training',
      'mlops/namespace': 'ml',
    });
    expect(readMlopsAnnotations(entity)).toBeUndefined();
    expect(isMlopsWorkload(entity)).toBe(false);
    expect(isTrainingWorkload(entity)).toBe(false);
  });

  it('treats a blank manifests annotation as absent', () => {
    expect(isMlopsWorkload(component({ 'mlops/manifests': '   ' }))).toBe(
      false,
    );
  });

  it('drops an unknown workload type instead of passing it on', () => {
    const entity = component({
      'mlops/manifests': './deploy',
      'mlops/workload': 'notebook',
    });
    expect(readMlopsAnnotations(entity)?.workload).toBeUndefined();
    expect(isMlopsWorkload(entity)).toBe(true);
    expect(isServingWorkload(entity)).toBe(false);
  });

  it('tells training from serving', () => {
    const training = component({
      'mlops/manifests': './deploy',
      'mlops/workload': 'training',
    });
    expect(isTrainingWorkload(training)).toBe(true);
    expect(isServingWorkload(training)).toBe(false);
  });

  it('handles an entity without annotations at all', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'plain' },
    };
    expect(isMlopsWorkload(entity)).toBe(false);
  });
});

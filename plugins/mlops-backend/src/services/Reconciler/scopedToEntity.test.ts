import { entityLabelValue, scopedToEntity } from './ownership';

const REF = 'component:default/llm';
const LABEL = entityLabelValue(REF);

describe('scopedToEntity', () => {
  it('labels every pod template, overriding a label the author forged for another entity', () => {
    const out = scopedToEntity(
      {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata: { name: 'j' },
        spec: {
          pytorchReplicaSpecs: {
            Master: { template: { spec: { containers: [{ name: 'c' }] } } },
            Worker: {
              template: {
                metadata: {
                  labels: { app: 'j', 'mlops/entity': 'f00f00f00f00f00f00f0' },
                },
                spec: { containers: [{ name: 'c' }] },
              },
            },
          },
        },
      },
      REF,
    ) as any;
    expect(
      out.spec.pytorchReplicaSpecs.Master.template.metadata.labels,
    ).toEqual({
      'mlops/entity': LABEL,
    });
    expect(
      out.spec.pytorchReplicaSpecs.Worker.template.metadata.labels,
    ).toEqual({
      app: 'j',
      'mlops/entity': LABEL,
    });
  });

  it('scopes Service, PodMonitor and RayJob selectors to the entity, and leaves the input alone', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { selector: { app: 'web' } },
    };
    expect((scopedToEntity(service, REF) as any).spec.selector).toEqual({
      app: 'web',
      'mlops/entity': LABEL,
    });
    expect(service.spec.selector).toEqual({ app: 'web' });
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'm' },
      spec: { selector: { matchLabels: { app: 'web' } } },
    };
    expect(
      (scopedToEntity(monitor, REF) as any).spec.selector.matchLabels,
    ).toEqual({
      app: 'web',
      'mlops/entity': LABEL,
    });
    const job = {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: 'j' },
      spec: { clusterSelector: { team: 'a' } },
    };
    expect((scopedToEntity(job, REF) as any).spec.clusterSelector).toEqual({
      team: 'a',
      'mlops/entity': LABEL,
    });
  });

  it('keeps a selector-less Service without a selector', () => {
    const out = scopedToEntity(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { ports: [] },
      },
      REF,
    ) as any;
    expect(out.spec.selector).toBeUndefined();
  });
});

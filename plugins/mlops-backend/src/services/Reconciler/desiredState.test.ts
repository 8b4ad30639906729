import { parseManifestFile } from '@mlops-plugins/backstage-plugin-mlops-common';
import { desiredState, driftedFields, stableStringify } from './desiredState';
import { entityLabelValue, isOwnedBy } from './ownership';

const manifests = parseManifestFile(
  'deploy/all.yaml',
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: server, labels: {app: server}}
spec: {replicas: 3, selector: {matchLabels: {app: server}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sidecar}
spec: {replicas: 2}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: server}
spec: {scaleTargetRef: {name: server}}
`,
).manifests;

describe('desiredState', () => {
  const options = {
    entityRef: 'component:default/llama3-8b-chat',
    namespace: 'ml-serving',
    kubernetesId: 'llama3-8b-chat',
  };

  it('puts every object in the entity namespace with our labels and the exact entity ref', () => {
    const [server] = desiredState(manifests, options);
    expect(server.key).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'ml-serving',
      name: 'server',
    });
    expect(server.object.metadata).toEqual({
      name: 'server',
      namespace: 'ml-serving',
      labels: {
        app: 'server',
        'app.kubernetes.io/managed-by': 'backstage-mlops',
        'mlops/entity': entityLabelValue('component:default/llama3-8b-chat'),
        'backstage.io/kubernetes-id': 'llama3-8b-chat',
      },
      annotations: { 'mlops/entity-ref': 'component:default/llama3-8b-chat' },
    });
    expect(
      isOwnedBy(server.object as any, 'component:default/llama3-8b-chat'),
    ).toBe(true);
    expect(isOwnedBy(server.object as any, 'component:default/other')).toBe(
      false,
    );
  });

  it('strips spec.replicas only from workloads a ScaledObject scales', () => {
    const [server, sidecar] = desiredState(manifests, options);
    expect(server.object.spec).not.toHaveProperty('replicas');
    expect((sidecar.object.spec as any).replicas).toBe(2);
  });

  it('hashes equal content equally whatever the key order', () => {
    expect(
      stableStringify({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }),
    ).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
    const [first] = desiredState(manifests, options);
    const [again] = desiredState(manifests, options);
    expect(first.hash).toBe(again.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses a 20-hex-digit label value that ignores the case of the ref', () => {
    expect(entityLabelValue('Component:default/LLama')).toBe(
      entityLabelValue('component:default/llama'),
    );
    expect(entityLabelValue('component:default/llama')).toMatch(
      /^[0-9a-f]{20}$/,
    );
  });
});

describe('driftedFields', () => {
  it('ignores fields the cluster added and normalised quantities', () => {
    const desired = { spec: { replicas: 1, template: { cpu: '4' } } };
    const live = {
      spec: { replicas: 1, template: { cpu: 4 }, progressDeadlineSeconds: 600 },
      status: {},
    };
    expect(driftedFields(desired, live)).toEqual([]);
  });

  it('names each field that someone else changed', () => {
    const desired = { data: { a: '1', b: '2' }, spec: { list: [1, 2] } };
    const live = { data: { a: '1', b: 'edited' }, spec: { list: [1] } };
    expect(driftedFields(desired, live)).toEqual(['.data.b', '.spec.list']);
  });
});

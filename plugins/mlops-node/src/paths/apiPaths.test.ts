import { groupVersionPath, objectPath, resourcePath } from './apiPaths';

describe('groupVersionPath', () => {
  it('puts the core group under /api and every other group under /apis', () => {
    expect(groupVersionPath('v1')).toBe('/api/v1');
    expect(groupVersionPath('apps/v1')).toBe('/apis/apps/v1');
    expect(groupVersionPath('kubeflow.org/v1')).toBe('/apis/kubeflow.org/v1');
  });
});

describe('resourcePath', () => {
  it('builds object, collection, cluster-wide and subresource paths', () => {
    expect(
      resourcePath({
        apiVersion: 'v1',
        plural: 'configmaps',
        namespace: 'ml',
        name: 'c',
      }),
    ).toBe('/api/v1/namespaces/ml/configmaps/c');
    expect(
      resourcePath({ apiVersion: 'v1', plural: 'pods', namespace: 'ml' }),
    ).toBe('/api/v1/namespaces/ml/pods');
    expect(resourcePath({ apiVersion: 'v1', plural: 'nodes' })).toBe(
      '/api/v1/nodes',
    );
    expect(
      resourcePath({
        apiVersion: 'keda.sh/v1alpha1',
        plural: 'scaledobjects',
        namespace: 'ml',
        name: 'server',
        subresource: 'status',
      }),
    ).toBe('/apis/keda.sh/v1alpha1/namespaces/ml/scaledobjects/server/status');
  });

  it('encodes names, so a name cannot walk to another path', () => {
    expect(
      resourcePath({
        apiVersion: 'v1',
        plural: 'configmaps',
        namespace: 'a/b',
        name: '../secrets/x',
      }),
    ).toBe('/api/v1/namespaces/a%2Fb/configmaps/..%2Fsecrets%2Fx');
  });

  it('refuses a subresource without an object', () => {
    expect(() =>
      resourcePath({ apiVersion: 'v1', plural: 'pods', subresource: 'status' }),
    ).toThrow('subresource "status" of pods needs an object name');
  });
});

describe('objectPath', () => {
  it('finds the plural of an allow-listed kind', () => {
    expect(
      objectPath({
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        namespace: 'ml',
        name: 'resnet',
      }),
    ).toBe('/apis/kubeflow.org/v1/namespaces/ml/pytorchjobs/resnet');
    expect(
      objectPath({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'ml',
      }),
    ).toBe('/apis/apps/v1/namespaces/ml/deployments');
  });

  it('takes the version from the key, so any served version of the kind works', () => {
    expect(
      objectPath({
        apiVersion: 'ray.io/v1alpha1',
        kind: 'RayCluster',
        namespace: 'ml',
        name: 'r',
      }),
    ).toBe('/apis/ray.io/v1alpha1/namespaces/ml/rayclusters/r');
  });

  it('refuses kinds outside the allow-list, naming the accepted ones', () => {
    expect(() =>
      objectPath({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'ml',
        name: 's',
      }),
    ).toThrow(/^Secret \(v1\) is not an allowed kind; allowed: PyTorchJob/);
  });
});

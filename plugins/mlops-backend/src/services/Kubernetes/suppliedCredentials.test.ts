import { KubeConfig } from '@kubernetes/client-node';
import { suppliedCredentials } from './suppliedCredentials';

describe('suppliedCredentials', () => {
  const kubeConfig = new KubeConfig();

  it('is empty without a supplier', async () => {
    expect(await suppliedCredentials(undefined, ['sandbox'])).toEqual(
      new Map(),
    );
  });

  it('maps the supplied clusters by name', async () => {
    const supplied = await suppliedCredentials(
      { getClusters: async () => [{ name: 'sandbox', kubeConfig }] },
      ['sandbox', 'other'],
    );
    expect(supplied.get('sandbox')).toBe(kubeConfig);
    expect(supplied.has('other')).toBe(false);
  });

  it('refuses a cluster that mlops.clusters does not configure', async () => {
    await expect(
      suppliedCredentials(
        { getClusters: async () => [{ name: 'elsewhere', kubeConfig }] },
        ['sandbox'],
      ),
    ).rejects.toThrow(
      'the MLOps cluster supplier names clusters that mlops.clusters does not configure: elsewhere; configured: sandbox',
    );
  });
});

import { ConfigReader } from '@backstage/config';
import { normalizeOwnerRef, readMlopsConfig } from './config';

const cluster = (extra: Record<string, unknown> = {}) => ({
  name: 'gpu',
  url: 'https://127.0.0.1:6443',
  auth: { serviceAccountTokenFile: '/var/run/token' },
  namespaces: [
    {
      name: 'ml-serving',
      owners: ['group:ml-platform-team', 'user:default/Alice'],
    },
  ],
  ...extra,
});

describe('readMlopsConfig', () => {
  it('reads clusters with normalised owners and defaults', () => {
    const config = readMlopsConfig(
      new ConfigReader({
        mlops: {
          clusters: [cluster({ prometheus: { url: 'http://prom:9090' } })],
        },
      }),
    );
    expect(config.clusters[0]).toMatchObject({
      name: 'gpu',
      prometheusUrl: 'http://prom:9090',
      forceConflicts: false,
      namespaces: [
        {
          name: 'ml-serving',
          owners: ['group:default/ml-platform-team', 'user:default/alice'],
          serviceAccount: 'backstage-mlops',
        },
      ],
    });
    expect(config.reconcile).toEqual({
      interval: { minutes: 1 },
      maxPruneShare: 0.5,
      concurrency: 4,
    });
    expect(config.clusters[0].namespaces[0]).toMatchObject({
      sources: [],
      deniedServiceAccounts: ['backstage-mlops'],
      allowedServiceTypes: [],
      adoptUnowned: false,
    });
  });

  it('is empty without an mlops block', () => {
    expect(readMlopsConfig(new ConfigReader({})).clusters).toEqual([]);
  });

  it('names the key for each mistake', () => {
    expect(() =>
      readMlopsConfig(
        new ConfigReader({ mlops: { clusters: [cluster({ auth: {} })] } }),
      ),
    ).toThrow(
      'mlops.clusters[0].auth must set exactly one of serviceAccountTokenFile or kubeconfigContext',
    );
    expect(() =>
      readMlopsConfig(
        new ConfigReader({
          mlops: {
            clusters: [
              cluster({ namespaces: [{ name: 'Bad_NS', owners: [] }] }),
            ],
          },
        }),
      ),
    ).toThrow(
      'mlops.clusters[0].namespaces[0].name "Bad_NS" is not a valid namespace name (DNS-1123 label)',
    );
    expect(() =>
      readMlopsConfig(
        new ConfigReader({ mlops: { clusters: [cluster(), cluster()] } }),
      ),
    ).toThrow(
      'mlops.clusters[1].name "gpu" is already used by mlops.clusters[0]; cluster names must be unique',
    );
    expect(() =>
      readMlopsConfig(
        new ConfigReader({
          mlops: { clusters: [], reconcile: { maxPruneShare: 2 } },
        }),
      ),
    ).toThrow('mlops.reconcile.maxPruneShare must be between 0 and 1, got 2');
  });

  it("reads the reconcile interval and the replicas' lock timeout", () => {
    expect(
      readMlopsConfig(
        new ConfigReader({
          mlops: {
            reconcile: { interval: { seconds: 15 }, timeout: { seconds: 20 } },
          },
        }),
      ).reconcile,
    ).toEqual({
      interval: { seconds: 15 },
      timeout: { seconds: 20 },
      maxPruneShare: 0.5,
      concurrency: 4,
    });
  });

  it('reads how many entities a pass reconciles at once, within bounds', () => {
    const read = (concurrency: number) =>
      readMlopsConfig(
        new ConfigReader({ mlops: { reconcile: { concurrency } } }),
      ).reconcile.concurrency;
    expect(read(16)).toBe(16);
    expect(() => read(0)).toThrow(
      'mlops.reconcile.concurrency must be a whole number from 1 to 64, got 0',
    );
    expect(() => read(2.5)).toThrow('got 2.5');
  });

  it('reads the trust rules of a namespace, folding the global deny list in', () => {
    const config = readMlopsConfig(
      new ConfigReader({
        mlops: {
          policy: { deniedServiceAccounts: ['platform-admin'] },
          clusters: [
            cluster({
              namespaces: [
                {
                  name: 'ml-serving',
                  owners: ['group:ml'],
                  sources: ['https://github.com/acme/ml-*', '/srv/repos/*'],
                  serviceAccount: 'deployer',
                  deniedServiceAccounts: ['ci'],
                  allowedServiceTypes: ['LoadBalancer'],
                  adoptUnowned: true,
                },
              ],
              prometheus: {
                url: 'http://p',
                entityLabel: 'label_mlops_entity',
              },
            }),
          ],
        },
      }),
    );
    const [rule] = config.clusters[0].namespaces;
    expect(rule.sources.map(s => s.pattern)).toEqual([
      'https://github.com/acme/ml-*',
      'file:///srv/repos/*',
    ]);
    expect(rule.deniedServiceAccounts).toEqual([
      'deployer',
      'platform-admin',
      'ci',
    ]);
    expect(rule).toMatchObject({
      allowedServiceTypes: ['LoadBalancer'],
      adoptUnowned: true,
    });
    expect(config.clusters[0].prometheusEntityLabel).toBe('label_mlops_entity');
  });

  it('defaults allowed file roots to the directories of the catalog file locations', () => {
    const config = readMlopsConfig(
      new ConfigReader({
        catalog: {
          locations: [
            { type: 'file', target: '/srv/catalog/all.yaml' },
            {
              type: 'url',
              target: 'https://github.com/acme/x/blob/main/c.yaml',
            },
          ],
        },
      }),
    );
    expect(config.manifests.allowedFileRoots).toEqual(['/srv/catalog']);
    expect(
      readMlopsConfig(
        new ConfigReader({
          mlops: { manifests: { allowedFileRoots: ['/data'] } },
        }),
      ).manifests.allowedFileRoots,
    ).toEqual(['/data']);
  });

  it('refuses trust settings that would open a namespace too wide', () => {
    const withNamespace = (ns: Record<string, unknown>) => () =>
      readMlopsConfig(
        new ConfigReader({
          mlops: {
            clusters: [
              cluster({ namespaces: [{ name: 'ml', owners: [], ...ns }] }),
            ],
          },
        }),
      );
    expect(withNamespace({ serviceAccount: 'default' })).toThrow(
      /mlops.clusters\[0\].namespaces\[0\].serviceAccount must not be "default"/,
    );
    expect(withNamespace({ sources: ['**'] })).toThrow(
      /mlops.clusters\[0\].namespaces\[0\].sources\[0\] "\*\*" would admit every repository/,
    );
    expect(withNamespace({ allowedServiceTypes: ['HostNetwork'] })).toThrow(
      /allowedServiceTypes\[0\] "HostNetwork" is not one of NodePort, LoadBalancer, ExternalName/,
    );
    expect(() =>
      readMlopsConfig(
        new ConfigReader({
          mlops: {
            clusters: [
              cluster({
                prometheus: { url: 'http://p', entityLabel: 'mlops/entity' },
              }),
            ],
          },
        }),
      ),
    ).toThrow(/entityLabel "mlops\/entity" is not a Prometheus label name/);
  });

  it('normalises owner refs as the catalog does', () => {
    expect(normalizeOwnerRef('ML-Team')).toBe('group:default/ml-team');
    expect(normalizeOwnerRef('user:ns/bob')).toBe('user:ns/bob');
  });
});

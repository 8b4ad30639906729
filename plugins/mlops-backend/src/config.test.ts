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
    });
  });

  it('normalises owner refs as the catalog does', () => {
    expect(normalizeOwnerRef('ML-Team')).toBe('group:default/ml-team');
    expect(normalizeOwnerRef('user:ns/bob')).toBe('user:ns/bob');
  });
});

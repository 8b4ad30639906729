import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { runAction, type StepInputOf } from '../__testUtils__/runAction';
import { createTrainingRenderAction } from './render';
import { examples } from './render.examples';

const values = {
  name: 'resnet50-ddp',
  owner: 'group:default/ml-platform-team',
  nodes: 8,
  gpusPerNode: 8,
};

describe('mlops:training:render', () => {
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-render-'));
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  const action = createTrainingRenderAction();
  const run = (input: StepInputOf<typeof action>, isDryRun = false) =>
    runAction(action, input, { workspacePath, isDryRun });

  async function listFiles(dir = workspacePath): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await listFiles(full)));
      else out.push(path.relative(workspacePath, full));
    }
    return out.sort();
  }

  it('writes the repo and reports what it wrote', async () => {
    const ctx = await run({ framework: 'pytorch', values });
    expect(await listFiles()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'deploy/code.yaml',
      'deploy/pytorchjob.yaml',
      'requirements.txt',
      'train.py',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('workloadKind', 'PyTorchJob');
    expect(ctx.output).toHaveBeenCalledWith('entityName', 'resnet50-ddp');
    expect(ctx.output).toHaveBeenCalledWith('manifestsPath', 'deploy');
    const job = yaml.parse(
      await fs.readFile(
        path.join(workspacePath, 'deploy/pytorchjob.yaml'),
        'utf8',
      ),
    );
    expect(job.spec.pytorchReplicaSpecs.Worker.replicas).toBe(7);
  });

  it('also writes in a dry run, since the scaffolder returns the dry-run workspace as the result', async () => {
    const ctx = await run(
      {
        framework: 'ray',
        values: { ...values, nodes: undefined, gpusPerNode: undefined },
        targetPath: 'repo',
      },
      true,
    );
    expect(ctx.output).toHaveBeenCalledWith('workloadKind', 'RayJob');
    expect(ctx.output).toHaveBeenCalledWith('manifestsPath', 'repo/deploy');
    expect(await listFiles()).toContain('repo/deploy/rayjob.yaml');
  });

  it('refuses to overwrite existing files unless asked, and then writes nothing', async () => {
    await fs.writeFile(path.join(workspacePath, 'README.md'), 'mine');
    await expect(run({ framework: 'pytorch', values })).rejects.toThrow(
      'refusing to overwrite README.md in "."; remove them or set overwrite: true',
    );
    expect(await listFiles()).toEqual(['README.md']);
    await run({ framework: 'pytorch', values, overwrite: true });
    expect(
      await fs.readFile(path.join(workspacePath, 'README.md'), 'utf8'),
    ).toContain('# resnet50-ddp');
  });

  it('refuses a target path outside the workspace', async () => {
    await expect(
      run({ framework: 'pytorch', values, targetPath: '../escape' }),
    ).rejects.toThrow('targetPath "../escape" is outside the workspace');
  });

  it('refuses a target path through a symlink that leaves the workspace', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-outside-'));
    await fs.symlink(outside, path.join(workspacePath, 'link'));
    await expect(
      run({ framework: 'pytorch', values, targetPath: 'link' }),
    ).rejects.toThrow('targetPath "link" is outside the workspace');
    expect(await fs.readdir(outside)).toEqual([]);
    await fs.rm(outside, { recursive: true });
  });

  const hostile: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'a name with ../',
      { name: '../../etc' },
      /name: must be a DNS-1123 label/,
    ],
    [
      'an upper-case name',
      { name: 'ResNet' },
      /name: must be a DNS-1123 label/,
    ],
    [
      'a 300-character name',
      { name: 'a'.repeat(300) },
      /name: .*at most 40 characters/,
    ],
    [
      'a negative GPU count',
      { gpusPerNode: -4 },
      /gpusPerNode: must be a whole number from 0 to 16 \(got -4\)/,
    ],
    [
      'a huge GPU count',
      { gpusPerNode: 4096 },
      /gpusPerNode: must be a whole number from 0 to 16 \(got 4096\)/,
    ],
    [
      'YAML in the description',
      { description: 'a\nkind: Secret' },
      /description: must be plain text/,
    ],
    [
      'shell in the image',
      { image: 'x;curl evil|sh' },
      /image: must be a container image reference/,
    ],
    [
      'a non-S3 dataset',
      { datasetUri: 'file:///etc/passwd' },
      /datasetUri: must be an S3 URI/,
    ],
  ];
  it.each(hostile)(
    'refuses %s with a clear message and writes nothing',
    async (_what, patch, message) => {
      await expect(
        run({ framework: 'pytorch', values: { ...values, ...patch } }),
      ).rejects.toThrow(message);
      expect(await listFiles()).toEqual([]);
    },
  );

  it('runs each documented example', async () => {
    for (const example of examples) {
      const step = yaml.parse(example.example).steps[0];
      const ctx = await run({ ...step.input, overwrite: true });
      expect(ctx.output).toHaveBeenCalledWith(
        'entityName',
        step.input.values.name,
      );
    }
  });
});

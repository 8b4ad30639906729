import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigReader } from '@backstage/config';
import yaml from 'yaml';
import { createPublishLocalAction } from './local';
import { examples } from './local.examples';
import {
  runAction,
  type ContextFields,
  type StepInputOf,
} from '../__testUtils__/runAction';

describe('mlops:publish:local', () => {
  let workspacePath: string;
  let root: string;

  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'mlops-publish-ws-'),
    );
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-publish-root-'));
    await fs.writeFile(
      path.join(workspacePath, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    await fs.mkdir(path.join(workspacePath, 'deploy'));
    await fs.writeFile(
      path.join(workspacePath, 'deploy', 'job.yaml'),
      'kind: PyTorchJob\n',
    );
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
    await fs.rm(root, { recursive: true, force: true });
  });

  function run(
    input: StepInputOf<ReturnType<typeof createPublishLocalAction>>,
    context: Pick<
      ContextFields<ReturnType<typeof createPublishLocalAction>>,
      'isDryRun' | 'user'
    > = {},
  ) {
    const config = new ConfigReader({
      mlops: { scaffolder: { localPublish: { root } } },
    });
    return runAction(createPublishLocalAction({ config }), input, {
      workspacePath,
      ...context,
    });
  }

  it('makes a git repo under the root, committed as the user running the template', async () => {
    const ctx = await run(
      { repoName: 'resnet50-ddp' },
      {
        user: {
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'ada' },
            spec: {
              profile: {
                displayName: 'Ada Lovelace',
                email: 'ada@example.com',
              },
            },
          },
        },
      },
    );
    const target = path.join(root, 'resnet50-ddp');
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      pathToFileURL(target).href,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      pathToFileURL(path.join(target, 'catalog-info.yaml')).href,
    );
    const log = execFileSync(
      'git',
      ['log', '--format=%an <%ae>|%s', '--name-only'],
      { cwd: target, encoding: 'utf8' },
    );
    expect(log).toContain(
      'Ada Lovelace <ada@example.com>|Initial commit from Backstage',
    );
    expect(log).toContain('deploy/job.yaml');
    expect(
      execFileSync('git', ['branch', '--show-current'], {
        cwd: target,
        encoding: 'utf8',
      }).trim(),
    ).toBe('main');
    expect(await fs.readdir(root)).toEqual(['resnet50-ddp']);
  });

  it('touches nothing in a dry run but still reports the URLs', async () => {
    const ctx = await run({ repoName: 'dry' }, { isDryRun: true });
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      pathToFileURL(path.join(root, 'dry')).href,
    );
    expect(await fs.readdir(root)).toEqual([]);
  });

  it.each([
    ['../escape'],
    ['a/b'],
    ['..'],
    ['.hidden'],
    ['Upper'],
    ['a'.repeat(300)],
    ['name;rm -rf'],
  ])('refuses the repo name %j', async name => {
    await expect(run({ repoName: name })).rejects.toThrow(
      /must be one directory name of lower-case letters/,
    );
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('refuses to replace an existing repo', async () => {
    await run({ repoName: 'taken' });
    await expect(run({ repoName: 'taken' })).rejects.toThrow(
      'a repository named "taken" already exists in the local publish root; choose another name',
    );
  });

  it('refuses an author that is not one plain line', async () => {
    await expect(run({ repoName: 'x', gitAuthorName: 'a\nb' })).rejects.toThrow(
      /gitAuthorName/,
    );
    await expect(
      run({ repoName: 'x', gitAuthorEmail: 'not-an-email' }),
    ).rejects.toThrow(/gitAuthorEmail/);
  });

  it('runs its documented example', async () => {
    const step = yaml.parse(examples[0].example).steps[0];
    const ctx = await run(step.input);
    expect(ctx.output).toHaveBeenCalledWith(
      'commitHash',
      expect.stringMatching(/^[0-9a-f]{40}$/),
    );
  });
});

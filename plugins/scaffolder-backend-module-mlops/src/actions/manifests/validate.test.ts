import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { runAction, type StepInputOf } from '../__testUtils__/runAction';
import { createManifestsValidateAction } from './validate';
import { examples } from './validate.examples';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama3-8b-chat
  namespace: ml-serving
spec:
  selector: {matchLabels: {app: llama3-8b-chat}}
  template:
    metadata: {labels: {app: llama3-8b-chat}}
    spec: {containers: [{name: vllm, image: vllm/vllm-openai:v0.11.0}]}
`;
const service = `apiVersion: v1
kind: Service
metadata:
  name: llama3-8b-chat
spec:
  ports: [{port: 8000}]
`;

describe('mlops:manifests:validate', () => {
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-validate-'));
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  async function write(file: string, text: string) {
    const full = path.join(workspacePath, file);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, text);
  }

  const action = createManifestsValidateAction();
  const run = (input: StepInputOf<typeof action>) =>
    runAction(action, input, { workspacePath });

  it('lists the objects of a valid directory, nested files included', async () => {
    await write('deploy/deployment.yaml', deployment);
    await write('deploy/network/service.yml', service);
    await write('deploy/README.md', 'not a manifest');
    const ctx = await run({ path: 'deploy', namespace: 'ml-serving' });
    expect(ctx.output).toHaveBeenCalledWith('objectCount', 2);
    expect(ctx.output).toHaveBeenCalledWith('objects', [
      'Deployment/llama3-8b-chat',
      'Service/llama3-8b-chat',
    ]);
  });

  it('names every problem with its file and document', async () => {
    await write(
      'deploy/a.yaml',
      `${deployment}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n`,
    );
    await expect(run({ path: 'deploy', namespace: 'team-a' })).rejects.toThrow(
      /2 problem\(s\) in manifests under "deploy":\n {2}- deploy\/a.yaml#0: Deployment "llama3-8b-chat" names namespace "ml-serving", but the entity's namespace is "team-a"\n {2}- deploy\/a.yaml#1: Secret \(v1\) "creds" is not an allowed kind/,
    );
  });

  it('refuses a path that leaves the workspace', async () => {
    await expect(run({ path: '../../etc' })).rejects.toThrow(
      'path "../../etc" is outside the workspace; give a directory relative to the workspace, such as "deploy"',
    );
  });

  it('refuses a symlink inside the directory', async () => {
    await write('deploy/deployment.yaml', deployment);
    await fs.symlink(
      '/etc/hostname',
      path.join(workspacePath, 'deploy', 'link.yaml'),
    );
    await expect(run({ path: 'deploy' })).rejects.toThrow(
      'deploy/link.yaml is a symbolic link; manifests must be plain files',
    );
  });

  it('refuses a directory without objects', async () => {
    await write('deploy/empty.yaml', '---\n');
    await expect(run({ path: 'deploy' })).rejects.toThrow(
      'no Kubernetes objects found under "deploy" (looked for *.yaml and *.yml)',
    );
  });

  it('refuses an oversized file without reading it', async () => {
    await write('deploy/huge.yaml', `# ${'x'.repeat(1024 * 1024)}\n`);
    await expect(run({ path: 'deploy' })).rejects.toThrow(
      /deploy\/huge.yaml: is \d+ bytes; manifest files may hold at most 1048576 bytes/,
    );
  });

  it('publishes a namespace pattern that the scaffolder enforces before the handler runs', () => {
    const input = action.schema?.input as {
      properties: Record<string, { pattern?: string; default?: unknown }>;
    };
    const pattern = new RegExp(input.properties.namespace.pattern!);
    expect(pattern.test('ml-serving')).toBe(true);
    expect(pattern.test('Team_A')).toBe(false);
    expect(pattern.test('a'.repeat(64))).toBe(false);
    expect(input.properties.path.default).toBe('deploy');
  });

  it('runs its documented example', async () => {
    const step = yaml.parse(examples[0].example).steps[0];
    await write('deploy/deployment.yaml', deployment);
    await write('deploy/service.yaml', service);
    const ctx = await run(step.input);
    expect(ctx.output).toHaveBeenCalledWith('objectCount', 2);
  });
});

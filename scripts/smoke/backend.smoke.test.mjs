// Boots the real backend with the repo's config and checks the wiring end to end:
// guest sign-in, the example catalog, our health route, our scaffolder module (through a
// real scaffolder dry-run), and the built frontend bundle served by app-backend.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBackend } from './backendProcess.mjs';
import { backstageClient, eventually } from './backstageClient.mjs';

let backend;
let token;

const { api } = backstageClient(() => ({ baseUrl: backend?.baseUrl, token }));

const b64 = text => Buffer.from(text, 'utf8').toString('base64');

function dryRun(manifest, namespace) {
  return api('/api/scaffolder/v2/dry-run', {
    method: 'POST',
    body: JSON.stringify({
      template: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'smoke-validate' },
        spec: {
          type: 'service',
          parameters: [],
          steps: [
            {
              id: 'fetch',
              name: 'Fetch',
              action: 'fetch:plain',
              input: { url: './skeleton' },
            },
            {
              id: 'validate',
              name: 'Validate',
              action: 'mlops:manifests:validate',
              input: { path: 'deploy', namespace },
            },
          ],
          output: {
            text: [
              {
                title: 'objects',
                content: '${{ steps.validate.output.objectCount }}',
              },
            ],
          },
        },
      },
      values: {},
      directoryContents: [
        { path: 'skeleton/deploy/app.yaml', base64Content: b64(manifest) },
      ],
    }),
  });
}

describe('real backend', () => {
  before(async () => {
    backend = await startBackend();
    console.log(
      `# backend ready in ${backend.startupMs} ms at ${backend.baseUrl}`,
    );
  });
  after(async () => {
    await backend?.stop();
  });

  it('serves /api/mlops/v1/health without a token', async () => {
    const { status, body } = await api('/api/mlops/v1/health');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.ok(Array.isArray(body.clusters));
  });

  it('refuses the catalog and MLOps status without a token', async () => {
    assert.equal((await api('/api/catalog/entities')).status, 401);
    const { status } = await api(
      '/api/mlops/v1/entities/component/default/llama3-8b-chat/status',
    );
    assert.equal(status, 401);
  });

  it('signs in as guest', async () => {
    const { status, body } = await api('/api/auth/guest/refresh', {
      method: 'POST',
    });
    assert.equal(status, 200);
    token = body.backstageIdentity.token;
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('lists the example entities with their MLOps annotations', async () => {
    const items = await eventually(
      'example entities in the catalog',
      async () => {
        const { status, body } = await api(
          '/api/catalog/entities/by-query?limit=100',
        );
        assert.equal(status, 200);
        const names = body.items.map(e => `${e.kind}:${e.metadata.name}`);
        for (const expected of [
          'Component:llama3-8b-chat',
          'Component:resnet50-ddp',
          'System:ml-platform',
          'Group:ml-platform-team',
          'User:guest',
        ]) {
          assert.ok(
            names.includes(expected),
            `${expected} missing from ${names.join(', ')}`,
          );
        }
        return body.items;
      },
    );
    const llama = items.find(e => e.metadata.name === 'llama3-8b-chat');
    assert.equal(llama.metadata.annotations['mlops/workload'], 'serving');
    assert.equal(llama.metadata.annotations['mlops/manifests'], './deploy');
    const resnet = items.find(e => e.metadata.name === 'resnet50-ddp');
    assert.equal(resnet.metadata.annotations['mlops/workload'], 'training');
  });

  it('serves the MLOps status of an example workload to a signed-in user', async () => {
    const { status, body } = await api(
      '/api/mlops/v1/entities/component/default/llama3-8b-chat/status',
    );
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.entityRef, 'component:default/llama3-8b-chat');
  });

  it('lists our scaffolder module among the actions', async () => {
    const { status, body } = await api('/api/scaffolder/v2/actions');
    assert.equal(status, 200);
    const validate = body.find(a => a.id === 'mlops:manifests:validate');
    assert.ok(validate, 'mlops:manifests:validate is not registered');
    assert.ok(validate.examples.length > 0);
  });

  it('runs mlops:manifests:validate in a real scaffolder dry-run', async () => {
    const manifest =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\nspec:\n  ports: [{port: 8000}]\n';
    const { status, body } = await dryRun(manifest, 'ml-serving');
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(
      Number(body.output.text?.[0]?.content),
      1,
      JSON.stringify(body.output),
    );
  });

  it('fails the dry-run with our reason for a Secret', async () => {
    const manifest = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n';
    const { status, body } = await dryRun(manifest, 'ml-serving');
    const text = JSON.stringify(body);
    assert.ok(
      status >= 400 ||
        /Secret \(v1\) \\"creds\\" is not an allowed kind/.test(text),
      text,
    );
    assert.match(text, /Secret \(v1\) \\"creds\\" is not an allowed kind/);
  });

  it('serves the built frontend bundle', async () => {
    const res = await fetch(`${backend.baseUrl}/`, {
      headers: { Accept: 'text/html' },
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<div id="root">/);
  });
});

// The install guide, followed by a test: packs the four plugin packages, creates a stock app
// with @backstage/create-app outside this repository, installs the tarballs by the READMEs'
// own steps, starts that app's backend against a fresh sandbox, and checks what a platform
// engineer would: our health route, the mlops:* actions and the shipped templates in the
// scaffolder, an example entity reconciled into the cluster with its status served, and the
// app's frontend bundle built with the plugin in it.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  repoRoot,
  run,
  startBackend,
  startSandbox,
  stopSandbox,
} from '../e2e/stack.mjs';
import { manifestProblems, packPlugins } from './packPlugins.mjs';
import { applyReadmeSteps, createStockApp, pinApp } from './stockApp.mjs';

const SANDBOX = 'stock-app';
const EXAMPLE = 'llama3-8b-chat';
const TEMPLATES = [
  'pytorch-distributed-training',
  'ray-training',
  'triton-model-server',
  'vllm-model-server',
];

const timings = {};
async function timed(name, fn) {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round((Date.now() - started) / 1000);
  }
}

let work;
let appDir;
let packed = [];
let backend;
let sandboxUp = false;
let token;
let exampleDir;
const log = line => console.log(`# ${line.trimEnd().split('\n').join('\n# ')}`);

async function api(urlPath, init = {}) {
  const res = await fetch(`${backend.baseUrl}${urlPath}`, {
    ...init,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  const text = await res.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

/**
 * The example repo, copied under the local publish root of the scaffolder module, whose
 * UrlReader serves it as `file://` (the catalog API registers only `url` locations), and which
 * the sandbox's namespaces admit as a source: the way a repo made on the Create page arrives.
 */
async function copyExample() {
  const dir = path.join(
    os.tmpdir(),
    'backstage-mlops-repos',
    `stock-app-${process.pid}`,
  );
  await fs.rm(dir, { recursive: true, force: true });
  await fs.cp(path.join(repoRoot, 'examples', EXAMPLE), dir, {
    recursive: true,
  });
  return dir;
}

describe('the plugins in a stock Backstage app, installed by their READMEs', () => {
  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-stock-app-'));
    appDir = path.join(work, 'app');
    await fs.mkdir(path.join(work, 'packs'));
    packed = await timed('pack', () =>
      packPlugins(repoRoot, path.join(work, 'packs')),
    );
    const tarballs = Object.fromEntries(packed.map(p => [p.name, p.tarball]));
    const version = await timed('create-app', () => createStockApp(appDir));
    log(`create-app made a Backstage ${version} app in ${appDir}`);
    await pinApp(appDir, repoRoot, tarballs);
    const readmeConfigs = await timed('install by the READMEs', () =>
      applyReadmeSteps(repoRoot, appDir, tarballs, log),
    );

    sandboxUp = true;
    const sandbox = await timed('sandbox', () =>
      startSandbox(work, log, SANDBOX),
    );
    exampleDir = await copyExample();
    const testConfig = path.join(work, 'app-config.test.yaml');
    await fs.writeFile(
      testConfig,
      ['mlops:', '  reconcile:', '    interval: { seconds: 5 }', ''].join('\n'),
    );
    backend = await timed('backend start', () =>
      startBackend(
        work,
        [...readmeConfigs, sandbox.configFile, testConfig],
        300_000,
        {
          backendDir: path.join(appDir, 'packages/backend'),
        },
      ),
    );
    const guest = await api('/api/auth/guest/refresh');
    assert.equal(guest.status, 200, JSON.stringify(guest.body));
    token = guest.body.backstageIdentity.token;
  });

  after(async () => {
    log(
      `stock-app timings (s): ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    await backend?.stop();
    if (sandboxUp) await stopSandbox(SANDBOX).catch(e => log(e.message));
    if (exampleDir) await fs.rm(exampleDir, { recursive: true, force: true });
    if (work && !process.env.MLOPS_KEEP_STOCK_APP) {
      await fs.rm(work, { recursive: true, force: true });
    }
  });

  it('packs five tarballs that install from a registry alone', () => {
    assert.equal(packed.length, 5);
    for (const p of packed) {
      assert.deepEqual(manifestProblems(p), [], p.name);
    }
    const scaffolder = packed.find(
      p => p.dir === 'scaffolder-backend-module-mlops',
    );
    for (const t of TEMPLATES) {
      assert.ok(
        scaffolder.files.includes(`package/templates/${t}/template.yaml`),
        `${t} shipped`,
      );
    }
    const backendPack = packed.find(p => p.dir === 'mlops-backend');
    assert.ok(backendPack.files.some(f => f.startsWith('package/migrations/')));
  });

  it('answers /api/mlops/v1/health with the sandbox cluster', async () => {
    const { status, body } = await api('/api/mlops/v1/health');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.ok(body.clusters.length >= 1, JSON.stringify(body));
  });

  it('lists the mlops:* actions in the scaffolder', async () => {
    const { status, body } = await api('/api/scaffolder/v2/actions');
    assert.equal(status, 200);
    const ids = body.map(a => a.id);
    for (const id of [
      'mlops:training:render',
      'mlops:serving:plan',
      'mlops:serving:render',
      'mlops:manifests:validate',
      'mlops:publish:local',
    ]) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
  });

  it('shows the templates shipped in the scaffolder module on the Create page', async () => {
    await eventually(
      'templates in the catalog',
      async () => {
        const { body } = await api(
          '/api/catalog/entities?filter=kind=template',
        );
        const names = body.map(e => e.metadata.name);
        for (const t of TEMPLATES)
          assert.ok(names.includes(t), `${t} in ${names}`);
      },
      120_000,
    );
  });

  it('reconciles an example entity into the sandbox and serves its status', async () => {
    const registered = await api('/api/catalog/locations', {
      method: 'POST',
      body: JSON.stringify({
        type: 'url',
        target: `file://${path.join(exampleDir, 'catalog-info.yaml')}`,
      }),
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const statusPath = `/api/mlops/v1/entities/component/default/${EXAMPLE}/status`;
    const body = await eventually(
      'the example reconciled',
      async () => {
        const res = await api(statusPath);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(
          res.body.reconcile?.result,
          'synced',
          JSON.stringify(res.body.reconcile),
        );
        assert.ok(res.body.objects.length > 0, 'live objects from the watches');
        return res.body;
      },
      180_000,
      2000,
    );
    const kinds = body.objects.map(o => o.kind);
    assert.ok(kinds.includes('Deployment'), kinds.join(', '));
    assert.ok(body.objects.every(o => o.namespace === 'ml-serving'));
  });

  it("builds the app's frontend bundle with the plugin in it", async () => {
    await timed('frontend build', () =>
      run('yarn', ['workspace', 'app', 'build'], {
        cwd: appDir,
        timeoutMs: 1_200_000,
      }),
    );
    const dist = path.join(appDir, 'packages/app/dist');
    assert.ok((await fs.readdir(dist)).includes('index.html'));
    const js = path.join(dist, 'static');
    const files = (await fs.readdir(js)).filter(f => f.endsWith('.js'));
    let found = false;
    for (const f of files) {
      const text = await fs.readFile(path.join(js, f), 'utf8');
      if (
        text.includes('mlops/serving-plan') ||
        text.includes('MlopsServingPlan')
      ) {
        found = true;
        break;
      }
    }
    assert.ok(found, 'the bundle holds the mlops plugin');
  });
});

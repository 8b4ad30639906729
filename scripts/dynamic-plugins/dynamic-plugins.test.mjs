// Red Hat Developer Hub installs plugins as dynamic plugins. Exports the frontend plugin, the
// backend plugin and the scaffolder module with RHDH's CLI, then starts a backend that has
// neither of ours installed and loads the two backend exports through Backstage's dynamic
// feature loader, as RHDH does, and checks they serve.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBackendPortConfig } from '@mlops-plugins/test-support';
import { repoRoot, run } from '../e2e/stack.mjs';

/** The RHDH CLI release whose `plugin export` is used; it fills in `supported-versions`. */
const RHDH_CLI = '@red-hat-developer-hub/cli@1.9.1';
/** Our packages each backend export must carry inside it (none is on a registry RHDH reads). */
const EMBEDDED = [
  '@mlops-plugins/backstage-plugin-mlops-common',
  '@mlops-plugins/backstage-plugin-mlops-node',
];
const BACKEND_EXPORTS = [
  {
    // The CLI embeds a plugin's own -common and -node packages by itself.
    dir: 'mlops-backend',
    name: '@mlops-plugins/backstage-plugin-mlops-backend-dynamic',
    args: [],
  },
  {
    // This module belongs to the scaffolder plugin, so the MLOps packages are named.
    dir: 'scaffolder-backend-module-mlops',
    name: '@mlops-plugins/backstage-plugin-scaffolder-backend-module-mlops-dynamic',
    args: EMBEDDED.flatMap(p => ['--embed-package', p]),
  },
];

const exportPlugin = (dir, args = []) =>
  run('npx', ['--yes', RHDH_CLI, 'plugin', 'export', '--clean', ...args], {
    cwd: path.join(repoRoot, 'plugins', dir),
    timeoutMs: 900_000,
  });

const readJson = async file => JSON.parse(await fs.readFile(file, 'utf8'));

let work;
let host;
let hostLog = '';
let baseUrl;

describe('dynamic plugins for Red Hat Developer Hub', () => {
  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-dynamic-'));
    for (const { dir, args } of BACKEND_EXPORTS) await exportPlugin(dir, args);
    await exportPlugin('mlops');
  });

  after(async () => {
    if (host && host.exitCode === null) {
      process.kill(-host.pid, 'SIGTERM');
      await new Promise(r => host.once('exit', r));
    }
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('exports both backend packages with the Backstage packages as shared peers', async () => {
    for (const { dir, name } of BACKEND_EXPORTS) {
      const out = path.join(repoRoot, 'plugins', dir, 'dist-dynamic');
      const manifest = await readJson(path.join(out, 'package.json'));
      assert.equal(manifest.name, name);
      assert.ok(manifest.backstage['supported-versions'], 'supported-versions');
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        assert.ok(
          !dep.startsWith('@backstage/'),
          `${dep} is shared, not bundled`,
        );
      }
      for (const embedded of EMBEDDED) {
        assert.match(
          manifest.resolutions?.[embedded] ?? '',
          /^file:\.\/embedded\//,
          `${dir} embeds ${embedded}`,
        );
      }
      await fs.access(path.join(out, manifest.main));
    }
  });

  it('exports the frontend plugin as Scalprum assets', async () => {
    const out = path.join(repoRoot, 'plugins/mlops/dist-dynamic');
    const pkg = await readJson(path.join(out, 'package.json'));
    assert.equal(pkg.name, '@mlops-plugins/backstage-plugin-mlops-dynamic');
    const manifest = await readJson(
      path.join(out, 'dist-scalprum/plugin-manifest.json'),
    );
    assert.equal(manifest.name, 'mlops-plugins.backstage-plugin-mlops');
    assert.ok(manifest.loadScripts?.length > 0, JSON.stringify(manifest));
    for (const script of manifest.loadScripts) {
      await fs.access(path.join(out, 'dist-scalprum', script));
    }
  });

  it('serves from a backend that loads them only as dynamic plugins', async () => {
    const root = path.join(work, 'dynamic-plugins-root');
    await fs.mkdir(root);
    for (const { dir, name } of BACKEND_EXPORTS) {
      await fs.cp(
        path.join(repoRoot, 'plugins', dir, 'dist-dynamic'),
        path.join(root, name.replace('@', '').replace('/', '-')),
        { recursive: true, dereference: true },
      );
    }
    const portConfig = path.join(work, 'app-config.port.yaml');
    ({ baseUrl } = await writeBackendPortConfig(portConfig));
    const config = path.join(work, 'app-config.dynamic.yaml');
    await fs.writeFile(
      config,
      [
        'backend:',
        '  database: { client: better-sqlite3, connection: ":memory:" }',
        '  auth: { dangerouslyDisableDefaultAuthPolicy: false }',
        'dynamicPlugins:',
        `  rootDirectory: ${JSON.stringify(root)}`,
        'mlops:',
        '  clusters: []',
        '',
      ].join('\n'),
    );
    host = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli-node/config/nodeTransform.cjs',
        path.join(repoRoot, 'scripts/dynamic-plugins/host.ts'),
        '--config',
        portConfig,
        '--config',
        config,
      ],
      {
        cwd: repoRoot,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          // RHDH runs its backend so: dynamic plugins take the shared @backstage packages
          // from the host's node_modules.
          NODE_PATH: path.join(repoRoot, 'node_modules'),
          NODE_ENV: 'development',
          FORCE_COLOR: '0',
        },
      },
    );
    host.stdout.on('data', d => (hostLog += d));
    host.stderr.on('data', d => (hostLog += d));
    const deadline = Date.now() + 180_000;
    for (;;) {
      assert.equal(host.exitCode, null, `host exited:\n${hostLog}`);
      const res = await fetch(`${baseUrl}/api/mlops/v1/health`).catch(
        () => null,
      );
      if (res?.status === 200) {
        assert.equal((await res.json()).status, 'ok');
        break;
      }
      assert.ok(
        Date.now() < deadline,
        `no health answer in 180 s:\n${hostLog}`,
      );
      await new Promise(r => setTimeout(r, 1000));
    }
    assert.match(
      hostLog,
      /mlops:serving:plan/,
      'scaffolder runs the dynamic module',
    );
    assert.ok(
      !/Failed to load dynamic|Error while loading/i.test(hostLog),
      hostLog,
    );
  });
});

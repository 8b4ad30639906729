// Browser test of the MLOps entity cards against live data: starts a fresh sandbox
// (MLOPS_SANDBOX_NAME=e2e), the real backend serving the built frontend, and Debian's
// Chromium through playwright-core; opens both example entities, checks the cards show what
// the sandbox runs, clicks "Sync now", and saves a screenshot of each card under artifacts/e2e.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import {
  ensureFrontendBundle,
  eventually,
  repoRoot,
  startBackend,
  startSandbox,
  stopSandbox,
} from './stack.mjs';

const artifacts = path.join(repoRoot, 'artifacts', 'e2e');
const CHROMIUM = process.env.MLOPS_E2E_CHROMIUM || '/usr/bin/chromium';
const log = line => process.stderr.write(`e2e: ${String(line).trim()}\n`);

let workDir;
let sandboxUp = false;
let backend;
let browser;
let page;
let token;
const timings = {};

async function api(route, init = {}) {
  if (!backend.isRunning()) {
    const tail = (await backend.readLog()).split('\n').slice(-40).join('\n');
    throw new Error(`the backend exited; its log ends:\n${tail}`);
  }
  const res = await fetch(`${backend.baseUrl}${route}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

const entityApi = name => `/api/mlops/v1/entities/component/default/${name}`;
const number = text => Number(String(text).replace(/[^0-9.]/g, ''));

/** The whole card (MUI Card) around one of our data-testid'd card bodies. */
const card = testId =>
  page.locator('.MuiCard-root', { has: page.getByTestId(testId) }).last();

async function shoot(testId, name) {
  await card(testId).screenshot({ path: path.join(artifacts, name) });
  log(`screenshot artifacts/e2e/${name}`);
}

/** Waits, bounded, until the text of `testId` satisfies `check`. */
async function textOf(testId, check, timeoutMs = 60_000) {
  return eventually(
    `${testId} shows the expected value`,
    async () => {
      const text = await page.getByTestId(testId).first().innerText({
        timeout: 2000,
      });
      if (!check(text)) throw new Error(`${testId} is "${text}"`);
      return text;
    },
    timeoutMs,
    500,
  );
}

describe('MLOps entity cards in a real browser', () => {
  before(
    async () => {
      await fs.mkdir(artifacts, { recursive: true });
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-e2e-'));
      await ensureFrontendBundle(log);
      sandboxUp = true;
      const sandbox = await startSandbox(workDir, log);
      timings.sandboxStartMs = sandbox.startupMs;
      backend = await startBackend(workDir, [sandbox.configFile]);
      timings.backendStartMs = backend.startupMs;
      log(`backend ${backend.baseUrl} up in ${backend.startupMs} ms`);
      token = await eventually('guest token', async () => {
        const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
          method: 'POST',
        });
        return (await res.json()).backstageIdentity.token;
      });
      // The reconciler applies the examples; the simulators and Prometheus make them move.
      const ready = Date.now();
      await eventually(
        'the llama3-8b-chat server serving tokens',
        async () => {
          const m = await api(
            `${entityApi('llama3-8b-chat')}/metrics?range=15m&step=15s`,
          );
          assert.ok(
            m.latest.generationTokensPerSecond > 0,
            JSON.stringify(m.latest),
          );
        },
        240_000,
        3000,
      );
      await eventually(
        'the resnet50-ddp PyTorchJob',
        async () =>
          assert.ok(
            (
              await api(`${entityApi('resnet50-ddp')}/status`)
            ).training,
          ),
        120_000,
        2000,
      );
      timings.liveDataAfterBackendMs = Date.now() - ready;

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
        timeout: 60_000,
      });
      page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      page.setDefaultTimeout(30_000);
      await page.goto(backend.baseUrl, { timeout: 60_000 });
      await page.getByRole('button', { name: 'Enter' }).click();
      await page.getByText('llama3-8b-chat').first().waitFor();
    },
    { timeout: 900_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      await backend?.stop();
      if (backend) {
        await fs
          .copyFile(backend.logFile, path.join(artifacts, 'backend.log'))
          .catch(() => {});
      }
      if (sandboxUp) await stopSandbox().catch(error => log(error.message));
      if (workDir) await fs.rm(workDir, { recursive: true, force: true });
      await fs
        .writeFile(
          path.join(artifacts, 'timings.json'),
          `${JSON.stringify(timings, null, 2)}\n`,
        )
        .catch(() => {});
      log(`timings ${JSON.stringify(timings)}`);
    },
    { timeout: 240_000 },
  );

  it('shows the serving workload: tokens/s, queue, KV cache and the autoscaler', async () => {
    const started = Date.now();
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/llama3-8b-chat/mlops`,
    );
    const tokens = await textOf(
      'mlops-serving-tokens-per-second',
      t => number(t) > 0,
    );
    await textOf('mlops-autoscaler-max', t => t.trim() === '4');
    timings.servingTabToDataMs = Date.now() - started;
    log(
      `serving tab: cards with data ${timings.servingTabToDataMs} ms after navigation (${tokens} tokens/s)`,
    );

    const status = await api(`${entityApi('llama3-8b-chat')}/status`);
    assert.ok(status.serving, 'the backend sees the Deployment');
    await textOf('mlops-serving-replicas', t =>
      /^\d+\/\d+ replicas ready$/.test(t),
    );
    await textOf('mlops-serving-kv-cache', t => /\d+%/.test(t));
    await textOf('mlops-serving-ttft', t => /ms/.test(t));

    // The plan the entity carries against the pool the running server reports
    // (vllm:cache_config_info of the simulator, whose pool is not the plan's).
    const entity = await api(
      '/api/catalog/entities/by-name/component/default/llama3-8b-chat',
    );
    const { kvCache: planned } = JSON.parse(
      entity.metadata.annotations['mlops/kv-cache-plan'],
    );
    const plannedLow = planned.blocks.low * planned.blockSize;
    const plannedHigh = planned.blocks.high * planned.blockSize;
    const fmt = n => n.toLocaleString('en-US');
    await textOf(
      'mlops-serving-kv-planned',
      t => t.trim() === `${fmt(plannedLow)}–${fmt(plannedHigh)}`,
    );
    const running = await eventually(
      'vllm:cache_config_info in the metrics',
      async () => {
        const metrics = await api(`${entityApi('llama3-8b-chat')}/metrics`);
        assert.ok(metrics.kvCache, 'the backend reads vllm:cache_config_info');
        return metrics.kvCache;
      },
      60_000,
    );
    assert.equal(running.tokens, running.numGpuBlocks * running.blockSize);
    await textOf('mlops-serving-kv-running', t => number(t) === running.tokens);
    assert.ok(running.tokens < plannedLow, 'the simulator holds less');
    await page.getByTestId('mlops-serving-kv-warning').waitFor();
    assert.equal(
      number(await page.getByTestId('mlops-autoscaler-min').innerText()),
      status.autoscaling.minReplicas,
    );
    const desired = number(
      await textOf('mlops-autoscaler-desired', t => /\d/.test(t)),
    );
    assert.ok(
      desired >= status.autoscaling.minReplicas &&
        desired <= status.autoscaling.maxReplicas,
      `desired ${desired} within the ScaledObject's bounds`,
    );
    await page
      .getByTestId('mlops-serving-chart')
      .locator('.recharts-area')
      .first()
      .waitFor();
    await textOf('mlops-reconcile-result', t => t.trim() === 'synced');

    await shoot('mlops-serving-card', 'llama3-8b-chat-serving-throughput.png');
    await shoot('mlops-autoscaler-card', 'llama3-8b-chat-autoscaler.png');
    await shoot('mlops-reconcile-card', 'llama3-8b-chat-reconcile.png');
    await page.screenshot({
      path: path.join(artifacts, 'llama3-8b-chat-mlops-tab.png'),
      fullPage: true,
    });
  });

  it('shows the training workload: PyTorchJob phase, replicas per type, conditions', async () => {
    const started = Date.now();
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/resnet50-ddp/mlops`,
    );
    await page.getByTestId('mlops-training-phase').waitFor();
    timings.trainingTabToDataMs = Date.now() - started;

    // The stand-in operator moves the job Created → Running → Succeeded; the card follows.
    await eventually(
      'the phase on the card matches the cluster',
      async () => {
        const { training } = await api(`${entityApi('resnet50-ddp')}/status`);
        const shown = (
          await page.getByTestId('mlops-training-phase').innerText()
        ).trim();
        assert.equal(training.kind, 'PyTorchJob');
        assert.equal(shown, training.phase);
        for (const [type, counts] of Object.entries(training.replicas)) {
          const cells = await page
            .getByTestId(`mlops-replicas-${type}`)
            .locator('td')
            .allInnerTexts();
          assert.deepEqual(cells.slice(1, 4).map(Number), [
            counts.active,
            counts.succeeded,
            counts.failed,
          ]);
        }
        assert.ok(Object.keys(training.replicas).includes('Master'));
      },
      60_000,
      1000,
    );
    await page.getByTestId('mlops-training-conditions').waitFor();
    await shoot('mlops-training-card', 'resnet50-ddp-training-status.png');
  });

  it('reconciles on "Sync now" and shows the new attempt', async () => {
    const before = (await api(`${entityApi('resnet50-ddp')}/status`)).reconcile;
    await page.getByTestId('mlops-sync').click();
    await page
      .getByText(/Reconciled resnet50-ddp: synced/)
      .waitFor({ timeout: 60_000 });
    const afterSync = (await api(`${entityApi('resnet50-ddp')}/status`))
      .reconcile;
    assert.ok(
      afterSync.lastAttemptAt > (before?.lastAttemptAt ?? ''),
      `a new pass: ${before?.lastAttemptAt} → ${afterSync.lastAttemptAt}`,
    );
    await textOf('mlops-reconcile-last-attempt', t => /s ago/.test(t));
    await shoot(
      'mlops-reconcile-card',
      'resnet50-ddp-reconcile-after-sync.png',
    );
  });

  it('puts the cards on the overview page of each example', async () => {
    for (const [name, dataTestIds] of [
      [
        'llama3-8b-chat',
        ['mlops-serving-tokens-per-second', 'mlops-autoscaler-max'],
      ],
      ['resnet50-ddp', ['mlops-training-phase']],
    ]) {
      const started = Date.now();
      await page.goto(`${backend.baseUrl}/catalog/default/component/${name}`);
      for (const testId of [...dataTestIds, 'mlops-reconcile-result']) {
        await page.getByTestId(testId).waitFor({ timeout: 60_000 });
      }
      timings[`${name}OverviewToDataMs`] = Date.now() - started;
      await page.screenshot({
        path: path.join(artifacts, `${name}-overview.png`),
        fullPage: true,
      });
    }
  });
});

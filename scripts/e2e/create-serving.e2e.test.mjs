// Browser test of the Create form's GPU memory plan (ui:field MlopsServingPlan): the real
// backend serving the built frontend, no sandbox (creating a repo touches no cluster), and
// Debian's Chromium through playwright-core. Fills the vLLM template, checks the plan's
// numbers, that a configuration that cannot fit is refused at its step with the reason, and
// that a fitting one is created: published to a local git repo and registered in the catalog.
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
} from './stack.mjs';
import { expectedPlan, templateDefaults } from './expectedPlan.mjs';
import { readTemplate } from '../smoke/backstageClient.mjs';

const artifacts = path.join(repoRoot, 'artifacts', 'e2e');
const CHROMIUM = process.env.MLOPS_E2E_CHROMIUM || '/usr/bin/chromium';
const PUBLISH_ROOT_ENV = 'APP_CONFIG_mlops_scaffolder_localPublish_root';
const log = line => process.stderr.write(`e2e: ${String(line).trim()}\n`);
const name = `e2e-plan-${process.pid}`;

let workDir;
let publishRoot;
let backend;
let browser;
let page;
let token;
const timings = {};

async function api(route) {
  const res = await fetch(`${backend.baseUrl}${route}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Opens the select of enum field `field` and picks the option starting with `option`. */
async function choose(field, option) {
  await page.locator(`#root_${field}`).click();
  await page
    .getByRole('option', {
      // The option's own name, not a longer one it prefixes ("… Instruct" vs "… Instruct FP8").
      name: new RegExp(`^${option.replace(/\./g, '\\.')}(?!\\s?\\w)`),
    })
    .click();
}

const planText = testId => page.getByTestId(testId).innerText();

async function shoot(file) {
  await page.screenshot({ path: path.join(artifacts, file), fullPage: true });
  log(`screenshot artifacts/e2e/${file}`);
}

describe('Create page: GPU memory plan of the vLLM template in a real browser', () => {
  before(
    async () => {
      await fs.mkdir(artifacts, { recursive: true });
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-e2e-create-'));
      publishRoot = path.join(workDir, 'repos');
      await fs.mkdir(publishRoot);
      await ensureFrontendBundle(log);
      process.env[PUBLISH_ROOT_ENV] = publishRoot;
      // Without the dev server's watcher: other work in the tree must not restart it mid-test.
      backend = await startBackend(workDir, [], 240_000, { watch: false });
      timings.backendStartMs = backend.startupMs;
      log(`backend ${backend.baseUrl} up in ${backend.startupMs} ms`);
      token = await eventually('guest token', async () => {
        const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
          method: 'POST',
        });
        return (await res.json()).backstageIdentity.token;
      });
      await eventually(
        'the vLLM template in the catalog',
        () =>
          api(
            '/api/catalog/entities/by-name/template/default/vllm-model-server',
          ),
        120_000,
        2000,
      );
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
      page.setDefaultTimeout(60_000);
      await page.goto(backend.baseUrl, { timeout: 60_000 });
      await page.getByRole('button', { name: 'Enter' }).click();
    },
    { timeout: 600_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => {});
      await backend?.stop();
      if (backend) {
        await fs
          .copyFile(
            backend.logFile,
            path.join(artifacts, 'create-serving-backend.log'),
          )
          .catch(() => {});
      }
      delete process.env[PUBLISH_ROOT_ENV];
      if (workDir) await fs.rm(workDir, { recursive: true, force: true });
      log(`timings ${JSON.stringify(timings)}`);
    },
    { timeout: 120_000 },
  );

  it('shows the plan, refuses what cannot fit at its step, and creates what fits', async () => {
    const started = Date.now();
    await page.getByRole('link', { name: 'Create' }).first().click();
    await page
      .locator('.MuiCard-root', { hasText: 'vLLM model server' })
      .first()
      .getByRole('button', { name: 'Choose' })
      .click();

    // Step "Server"
    await page.locator('#root_name').fill(name);
    // The owner picker takes a typed entity ref as well as a pick from its list.
    await page.locator('#root_owner').fill('group:default/ml-platform-team');
    await page.locator('#root_owner').press('Tab');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step "Model and GPU": the defaults (Llama 3.1 8B on one H100) are planned at once.
    await page.getByTestId('mlops-serving-plan').waitFor();
    timings.formToPlanMs = Date.now() - started;
    const defaults = templateDefaults(await readTemplate('vllm-model-server'));
    const fits = expectedPlan(defaults);
    assert.equal(fits.verdict, 'fits');
    assert.equal(await planText('mlops-plan-kv-tokens'), fits.kvTokens);
    assert.equal(await planText('mlops-plan-concurrency'), fits.concurrency);
    assert.equal(await planText('mlops-plan-max-num-seqs'), fits.maxNumSeqs);
    assert.match(await planText('mlops-plan-memory'), /Weights\s+14\.\d\d GiB/);
    await shoot('create-serving-plan-fits.png');

    // 70B in bf16 on one L4 cannot fit: the plan says why as soon as it is chosen …
    await choose('model', 'Llama 3.1 70B Instruct');
    await choose('gpu', 'NVIDIA L4 24GB');
    const refused = expectedPlan({
      ...defaults,
      model: 'llama-3.1-70b-instruct',
      gpu: 'l4',
    });
    assert.equal(refused.verdict, 'does-not-fit');
    assert.ok(
      (await planText('mlops-plan-problems')).includes(refused.problems[0]),
      refused.problems[0],
    );
    // … and the step refuses to go on, naming the nearest configuration that fits.
    await page.getByRole('button', { name: 'Next' }).click();
    const refusal = page
      .getByText(
        /Llama 3\.1 70B Instruct does not fit on NVIDIA L4 24GB as configured: .*Nearest configuration that fits: --tensor-parallel-size/,
      )
      .first();
    await refusal.waitFor();
    await shoot('create-serving-plan-refused.png');
    assert.equal(await page.getByLabel(/Model location/).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Create' }).count(), 0);

    // Llama 3.1 8B fits on the same L4, with a smaller cache.
    await choose('model', 'Llama 3.1 8B Instruct');
    const onL4 = expectedPlan({ ...defaults, gpu: 'l4' });
    assert.notEqual(onL4.kvTokens, fits.kvTokens);
    await eventually(
      'the plan of 8B on L4',
      async () =>
        assert.equal(await planText('mlops-plan-kv-tokens'), onL4.kvTokens),
      10_000,
      200,
    );
    assert.equal(await planText('mlops-plan-max-num-seqs'), onL4.maxNumSeqs);
    assert.equal(await page.getByTestId('mlops-plan-problems').count(), 0);
    // Model and GPU → Weights → Scaling → Publish, each page's defaults kept.
    for (const nextField of [
      '#root_modelUri',
      '#root_minReplicas',
      'text=Where to publish',
    ]) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator(nextField).first().waitFor();
    }
    await page.getByRole('button', { name: 'Review' }).click();

    // Review lists the plan; Create runs the task.
    const review = page.getByText(onL4.summary, { exact: true });
    await review.waitFor();
    await shoot('create-serving-review.png');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/create\/tasks\//);
    const taskId = page.url().split('/create/tasks/')[1].split(/[?#]/)[0];
    const created = Date.now();
    const task = await eventually(
      'the task to finish',
      async () => {
        const t = await api(`/api/scaffolder/v2/tasks/${taskId}`);
        assert.ok(['completed', 'failed'].includes(t.status), t.status);
        return t;
      },
      180_000,
      1000,
    );
    timings.createToTaskDoneMs = Date.now() - created;
    assert.equal(task.status, 'completed');
    assert.equal(task.spec.parameters.gpuMemoryPlan, onL4.summary);
    await page.getByRole('link', { name: 'Open in catalog' }).waitFor({
      timeout: 60_000,
    });
    await shoot('create-serving-task-done.png');

    // The backend planned the same numbers the form showed.
    const plan = JSON.parse(
      await fs.readFile(path.join(publishRoot, name, 'plan.json'), 'utf8'),
    );
    assert.equal(plan.model, 'llama-3.1-8b-instruct');
    assert.equal(plan.gpu, 'l4');
    assert.equal(plan.kvCacheTokens, onL4.lowTokens);
    assert.equal(String(plan.maxNumSeqs), onL4.maxNumSeqs);
    const entity = await eventually(
      'the entity in the catalog',
      () => api(`/api/catalog/entities/by-name/component/default/${name}`),
      60_000,
      1000,
    );
    assert.equal(entity.spec.type, 'model-server');
    assert.equal(entity.metadata.annotations['mlops/workload'], 'serving');
  });
});

/* eslint-disable no-console */
/**
 * yarn bench:status [entities=1000] [clients=50] [seconds=20]
 *   Our `GET /api/mlops/v1/…/status` (served from the watch cache) against the stock Kubernetes
 *   plugin's `POST /api/kubernetes/resources/custom/query` for the same entities, in the same
 *   run and backend process: latency, throughput, errors, and API-server requests per view as
 *   the API server counts them (minus an idle window of the same length).
 *
 * yarn bench:status [entities=1000] [viewers=100] [seconds=60] --reliability [--json <file>]
 *   Viewers that each load status then metrics (a real Prometheus behind it) back to back;
 *   prints p50/p95/p99 of both and writes the summary as JSON for the reliability test.
 */
import fs from 'node:fs';
import {
  addCounts,
  apiServerRequestCounts,
  countsBetween,
  withoutBackground,
} from './apiServerRequests';
import {
  closeConnections,
  runClosedLoop,
  summarize,
  type Recorder,
  type Samples,
  type Summary,
} from './loadDriver';
import { statusEndpoints } from './statusEndpoints';
import { startStatusStack, type StatusStack } from './statusStack';

type Step = (record: Recorder) => Promise<void>;

const flags = process.argv.slice(2).filter(a => a.startsWith('--'));
const positional = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--json');
const RELIABILITY = flags.includes('--reliability');
const JSON_FILE = process.argv[process.argv.indexOf('--json') + 1];
const N = Number(positional[0] ?? 1000);
const CLIENTS = Number(positional[1] ?? (RELIABILITY ? 100 : 50));
const SECONDS = Number(positional[2] ?? (RELIABILITY ? 60 : 20));
/** A count bound next to the time bound: far above what 2 cores serve in SECONDS. */
const MAX_STEPS = SECONDS * 5000;

const log = (line: string) => console.error(`bench:status: ${line}`);

const ms = (v: number) => v.toFixed(1);

function row(label: string, s: Summary, perView: string) {
  return `| ${label} | ${s.requests} | ${s.errors} | ${ms(s.p50)} | ${ms(
    s.p95,
  )} | ${ms(s.p99)} | ${s.perSecond.toFixed(0)} | ${perView} |`;
}

const ROUNDS = 4;
type Counts = ReturnType<typeof countsBetween>;

/**
 * Both endpoints in alternating slices (ROUNDS each, the order flipping every round), so
 * background work of the backend (catalog stitching, search indexing) weighs on both alike;
 * the API server's request counts are taken around every slice.
 */
async function interleaved(
  stack: StatusStack,
  steps: { status: Step; stock: Step },
) {
  const admin = stack.plane.adminKubeConfig;
  const samples = new Map<string, Samples>();
  const totals = {
    status: { wallMs: 0, requests: { byVerb: new Map(), total: 0 } as Counts },
    stock: { wallMs: 0, requests: { byVerb: new Map(), total: 0 } as Counts },
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order = ['status', 'stock'] as const;
    for (const label of round % 2 ? [...order].reverse() : order) {
      const before = await apiServerRequestCounts(admin);
      const result = await runClosedLoop({
        clients: CLIENTS,
        seconds: SECONDS / ROUNDS,
        maxSteps: MAX_STEPS / ROUNDS,
        step: steps[label],
        into: samples,
      });
      const after = await apiServerRequestCounts(admin);
      totals[label].wallMs += result.wallMs;
      totals[label].requests = addCounts(
        totals[label].requests,
        countsBetween(before, after),
      );
    }
  }
  return {
    ours: {
      summary: summarize(samples.get('status'), totals.status.wallMs),
      requests: totals.status.requests,
    },
    stock: {
      summary: summarize(samples.get('stock'), totals.stock.wallMs),
      requests: totals.stock.requests,
    },
  };
}

/** One client, alternating endpoints: the latency of a request that never queues. */
async function sequential(steps: { status: Step; stock: Step }) {
  const samples = new Map<string, Samples>();
  const started = performance.now();
  await runClosedLoop({
    clients: 1,
    seconds: SECONDS,
    maxSteps: 100,
    into: samples,
    step: async r => {
      await steps.status(r);
      await steps.stock(r);
    },
  });
  const wallMs = performance.now() - started;
  return {
    ours: summarize(samples.get('status'), wallMs),
    stock: summarize(samples.get('stock'), wallMs),
  };
}

async function compare(stack: StatusStack) {
  const api = statusEndpoints(stack, N);
  // Warm-up: JIT, connection pools, the catalog's and the permission client's caches.
  await runClosedLoop({
    clients: 10,
    seconds: 5,
    maxSteps: 400,
    step: async r => {
      await api.status(r);
      await api.stock(r);
    },
  });
  log(`idle window of ${SECONDS} s (background API-server traffic)`);
  const idleBefore = await apiServerRequestCounts(stack.plane.adminKubeConfig);
  await new Promise(r => setTimeout(r, SECONDS * 1000));
  const background = countsBetween(
    idleBefore,
    await apiServerRequestCounts(stack.plane.adminKubeConfig),
  );
  log(`single client, alternating, at most 100 requests`);
  const single = await sequential({
    status: r => api.status(r),
    stock: r => api.stock(r),
  });
  log(
    `${CLIENTS} clients, ${ROUNDS} alternating slices of ${
      SECONDS / ROUNDS
    } s each`,
  );
  const { ours, stock } = await interleaved(stack, {
    status: r => api.status(r),
    stock: r => api.stock(r),
  });

  const perView = (m: { summary: Summary; requests: Counts }) => {
    const net = withoutBackground(m.requests, background);
    const views = Math.max(1, m.summary.requests);
    const verbs = [...net.byVerb]
      .filter(([, v]) => v !== 0)
      .map(([verb, v]) => `${verb} ${(v / views).toFixed(3)}`)
      .join(', ');
    return `${(net.total / views).toFixed(3)}${verbs ? ` (${verbs})` : ''}`;
  };
  console.log(
    `\nbench:status — ${N} entities × 5 objects, ${CLIENTS} concurrent clients, ${SECONDS} s per endpoint in ${ROUNDS} alternating slices, one backend process`,
  );
  console.log(
    `background API-server requests in an idle ${SECONDS} s: ${
      background.total
    } (${[...background.byVerb].map(([v, c]) => `${v} ${c}`).join(', ')})\n`,
  );
  console.log(
    '| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s | API-server requests per view (net of background) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    row('mlops GET …/status (watch cache)', ours.summary, perView(ours)),
  );
  console.log(
    row(
      'kubernetes POST /resources/custom/query (ScaledObjects)',
      stock.summary,
      perView(stock),
    ),
  );
  console.log(
    `\nstock / ours: p50 ${(stock.summary.p50 / ours.summary.p50).toFixed(
      1,
    )}×, p95 ${(stock.summary.p95 / ours.summary.p95).toFixed(1)}×, p99 ${(
      stock.summary.p99 / ours.summary.p99
    ).toFixed(1)}×; throughput ours / stock ${(
      ours.summary.perSecond / stock.summary.perSecond
    ).toFixed(1)}×`,
  );
  console.log(
    `single client, no queueing (${single.ours.requests} + ${
      single.stock.requests
    } requests): ours p50 ${ms(single.ours.p50)} ms, p95 ${ms(
      single.ours.p95,
    )} ms; stock p50 ${ms(single.stock.p50)} ms, p95 ${ms(
      single.stock.p95,
    )} ms`,
  );
  for (const [label, s] of [
    ['ours', ours.summary],
    ['stock', stock.summary],
  ] as const) {
    for (const e of s.errorExamples) console.log(`${label} error: ${e}`);
  }
}

async function reliability(stack: StatusStack) {
  const api = statusEndpoints(stack, N);
  log(`${CLIENTS} viewers on status + metrics for ${SECONDS} s`);
  const result = await runClosedLoop({
    clients: CLIENTS,
    seconds: SECONDS,
    maxSteps: MAX_STEPS,
    step: async r => {
      const name = api.randomEntity();
      await api.status(r, name);
      await api.metrics(r, name);
    },
  });
  const status = summarize(result.byLabel.get('status'), result.wallMs);
  const metrics = summarize(result.byLabel.get('metrics'), result.wallMs);
  console.log(
    `\nbench:status --reliability — ${N} entities, ${CLIENTS} viewers, ${(
      result.wallMs / 1000
    ).toFixed(1)} s\n`,
  );
  console.log(
    '| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s | |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(row('mlops GET …/status', status, ''));
  console.log(row('mlops GET …/metrics (Prometheus)', metrics, ''));
  for (const e of [...status.errorExamples, ...metrics.errorExamples]) {
    console.log(`error: ${e}`);
  }
  if (JSON_FILE) {
    fs.writeFileSync(
      JSON_FILE,
      JSON.stringify({ entities: N, viewers: CLIENTS, status, metrics }),
    );
  }
}

async function main() {
  let stopAll = async () => {};
  const onSignal = (signal: string) => {
    log(`${signal}: stopping the backend, Prometheus and the control plane`);
    stopAll().finally(() => process.exit(1));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const stack = await startStatusStack({
    entities: N,
    prometheus: RELIABILITY,
    log,
    onStop: stop => {
      stopAll = stop;
    },
  });
  try {
    if (RELIABILITY) await reliability(stack);
    else await compare(stack);
  } finally {
    closeConnections();
    await stack.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

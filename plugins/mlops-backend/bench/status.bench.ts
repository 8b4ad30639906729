/* eslint-disable no-console */
/**
 * yarn bench:status [entities=1000] [clients=50] [seconds=20]
 *   Our `GET /api/mlops/v1/…/status` (served from the watch cache) against what the stock
 *   Kubernetes tab requests for the same entity page, `POST /api/kubernetes/services/:name`
 *   with the catalog entity in the body (the plugin's 13 default object types plus our 4 custom
 *   resources), in the same run and backend process: latency, throughput, errors, CPU per
 *   request of the backend and of the API server + etcd, and API-server requests per view as
 *   the API server counts them (each minus an idle window of the same length).
 *
 * yarn bench:status [entities=1000] [viewers=100] [seconds=60] --reliability [--json <file>]
 *   Viewers that each load status then metrics (a real Prometheus behind it) back to back;
 *   prints p50/p95/p99 of both and writes the summary as JSON for the reliability test.
 */
import fs from 'node:fs';
import os from 'node:os';
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
import { cpuOf, processCpuMs } from './processCpu';
import { statusEndpoints } from './statusEndpoints';
import {
  startStatusStack,
  STOCK_CUSTOM_RESOURCES,
  type StatusStack,
} from './statusStack';

type Step = (record: Recorder) => Promise<void>;
type FreshStep = (record: Recorder, token: string) => Promise<void>;

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

function row(label: string, s: Summary, ...more: string[]) {
  return `| ${label} | ${s.requests} | ${s.errors} | ${ms(s.p50)} | ${ms(
    s.p95,
  )} | ${ms(s.p99)} | ${s.perSecond.toFixed(0)} | ${more.join(' | ')} |`;
}

const ROUNDS = 4;
const FIRST_VIEWS = 100;
type Counts = ReturnType<typeof countsBetween>;
type Cpu = Record<string, number>;

const loadAverage = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');

function cpuBetween(before: Cpu, after: Cpu): Cpu {
  return Object.fromEntries(
    Object.keys(after).map(k => [k, after[k] - (before[k] ?? 0)]),
  );
}

function addCpu(a: Cpu, b: Cpu): Cpu {
  return Object.fromEntries(Object.keys(b).map(k => [k, (a[k] ?? 0) + b[k]]));
}

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
  const empty = () => ({
    wallMs: 0,
    requests: { byVerb: new Map(), total: 0 } as Counts,
    cpu: {} as Cpu,
  });
  const totals = { status: empty(), stock: empty() };
  for (let round = 0; round < ROUNDS; round++) {
    const order = ['status', 'stock'] as const;
    for (const label of round % 2 ? [...order].reverse() : order) {
      const before = await apiServerRequestCounts(admin);
      const cpuBefore = cpuOf(stack.pids);
      const result = await runClosedLoop({
        clients: CLIENTS,
        seconds: SECONDS / ROUNDS,
        maxSteps: MAX_STEPS / ROUNDS,
        step: steps[label],
        into: samples,
      });
      const cpuAfter = cpuOf(stack.pids);
      const after = await apiServerRequestCounts(admin);
      totals[label].wallMs += result.wallMs;
      totals[label].cpu = addCpu(
        totals[label].cpu,
        cpuBetween(cpuBefore, cpuAfter),
      );
      totals[label].requests = addCounts(
        totals[label].requests,
        countsBetween(before, after),
      );
    }
  }
  const side = (label: 'status' | 'stock') => ({
    summary: summarize(samples.get(label), totals[label].wallMs),
    requests: totals[label].requests,
    cpu: totals[label].cpu,
    wallMs: totals[label].wallMs,
  });
  return { ours: side('status'), stock: side('stock') };
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

/**
 * One client, each request from a caller the backend has not served yet (a first page view):
 * no per-user memory can answer it. Each side runs alone, so its CPU is its own.
 */
async function firstViews(
  stack: StatusStack,
  steps: { status: FreshStep; stock: FreshStep },
) {
  const result = {} as Record<
    'status' | 'stock',
    { summary: Summary; cpu: Cpu; wallMs: number }
  >;
  for (const label of ['status', 'stock'] as const) {
    const samples = new Map<string, Samples>();
    const cpuBefore = cpuOf(stack.pids);
    const run = await runClosedLoop({
      clients: 1,
      seconds: SECONDS,
      maxSteps: FIRST_VIEWS,
      into: samples,
      step: r => steps[label](r, stack.newViewerToken()),
    });
    result[label] = {
      summary: summarize(samples.get(label), run.wallMs),
      cpu: cpuBetween(cpuBefore, cpuOf(stack.pids)),
      wallMs: run.wallMs,
    };
  }
  return { ours: result.status, stock: result.stock };
}

/**
 * Until the backend's own background work (catalog stitching, search indexing) has died down,
 * so it weighs on neither side: under 10 % of a core over 5 s, for at most 5 minutes.
 */
async function settle(stack: StatusStack) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const before = processCpuMs(stack.pids.backend);
    await new Promise(r => setTimeout(r, 5000));
    const share = (processCpuMs(stack.pids.backend) - before) / 5000;
    if (share < 0.1 || Date.now() > deadline) {
      log(`backend at ${(share * 100).toFixed(0)} % of a core when idle`);
      return;
    }
  }
}

async function compare(stack: StatusStack) {
  const api = statusEndpoints(stack, N);
  await settle(stack);
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
  log(`idle window of ${SECONDS} s (background API-server traffic and CPU)`);
  const idleBefore = await apiServerRequestCounts(stack.plane.adminKubeConfig);
  const idleCpuBefore = cpuOf(stack.pids);
  const idleStarted = performance.now();
  await new Promise(r => setTimeout(r, SECONDS * 1000));
  const idleCpu = cpuBetween(idleCpuBefore, cpuOf(stack.pids));
  const idleMs = performance.now() - idleStarted;
  const background = countsBetween(
    idleBefore,
    await apiServerRequestCounts(stack.plane.adminKubeConfig),
  );
  const loadBefore = loadAverage();
  log(`single client, alternating, at most 100 requests`);
  const single = await sequential({
    status: r => api.status(r),
    stock: r => api.stock(r),
  });
  log(`first views: one client, ${FIRST_VIEWS} new callers per endpoint`);
  const first = await firstViews(stack, {
    status: (r, token) => api.status(r, undefined, token),
    stock: (r, token) => api.stock(r, undefined, token),
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

  const loadAfter = loadAverage();
  /** CPU ms per successful request, net of what the process used in as long idle. */
  const cpuPerRequest = (
    m: { summary: Summary; cpu: Cpu; wallMs: number },
    names: string[],
  ) => {
    const used = names.reduce((sum, n) => sum + (m.cpu[n] ?? 0), 0);
    const idle = names.reduce((sum, n) => sum + (idleCpu[n] ?? 0), 0);
    const net = Math.max(0, used - (idle * m.wallMs) / idleMs);
    const ok = Math.max(1, m.summary.requests - m.summary.errors);
    return (net / ok).toFixed(3);
  };
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
    `\nbench:status — ${N} entities × 5 objects, ${CLIENTS} concurrent clients, ${SECONDS} s per endpoint in ${ROUNDS} alternating slices, one backend process, ${
      os.cpus().length
    } CPUs, load average (1, 5, 15 min) ${loadBefore} before the measured slices, ${loadAfter} after`,
  );
  console.log(
    `background in an idle ${SECONDS} s: ${
      background.total
    } API-server requests (${[...background.byVerb]
      .map(([v, c]) => `${v} ${c}`)
      .join(', ')}); CPU ms: ${Object.entries(idleCpu)
      .map(([n, v]) => `${n} ${v.toFixed(0)}`)
      .join(', ')}\n`,
  );
  console.log(
    '| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s | backend CPU ms / request | API server + etcd CPU ms / request | API-server requests per view |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const backend = ['backend'];
  const cluster = ['kubeApiserver', 'etcd'];
  console.log(
    row(
      'mlops GET …/status (watch cache)',
      ours.summary,
      cpuPerRequest(ours, backend),
      cpuPerRequest(ours, cluster),
      perView(ours),
    ),
  );
  console.log(
    row(
      `kubernetes POST /services/:name (13 default object types + ${STOCK_CUSTOM_RESOURCES.length} custom resources)`,
      stock.summary,
      cpuPerRequest(stock, backend),
      cpuPerRequest(stock, cluster),
      perView(stock),
    ),
  );
  console.log(
    "\nCPU and API-server requests are net of the idle window (scaled to each side's wall time); the load generator runs on the same machine.",
  );
  console.log(
    `\nfirst views: one client, each request from a caller the backend has not served yet (${FIRST_VIEWS} per endpoint)\n`,
  );
  console.log(
    '| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | req/s | backend CPU ms / request | API server + etcd CPU ms / request |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    row(
      'mlops GET …/status',
      first.ours.summary,
      cpuPerRequest(first.ours, backend),
      cpuPerRequest(first.ours, cluster),
    ),
  );
  console.log(
    row(
      'kubernetes POST /services/:name',
      first.stock.summary,
      cpuPerRequest(first.stock, backend),
      cpuPerRequest(first.stock, cluster),
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
    ['ours (first views)', first.ours.summary],
    ['stock (first views)', first.stock.summary],
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

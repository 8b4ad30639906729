/* eslint-disable no-console */
// Render time per training repo: `yarn bench:render [runs]` (default 200 runs per case).
import { performance } from 'node:perf_hooks';
import { renderTrainingRepo, type TrainingRepoSpecInput } from '../src';

const runs = Math.min(
  Math.max(Number(process.argv[2] ?? 200) || 200, 10),
  5000,
);

const cases: Array<[string, TrainingRepoSpecInput]> = [
  [
    'PyTorchJob 8x8',
    {
      framework: 'pytorch',
      name: 'bench-ddp',
      owner: 'ml-platform-team',
      nodes: 8,
      gpusPerNode: 8,
      datasetUri: 's3://datasets/imagenet/',
    },
  ],
  [
    'TrainJob 8x8',
    {
      framework: 'pytorch',
      name: 'bench-trainer',
      owner: 'ml-platform-team',
      operator: 'trainjob',
      nodes: 8,
      gpusPerNode: 8,
      modelUri: 'hf://meta-llama/Llama-3.2-1B',
    },
  ],
  [
    'RayJob autoscaled',
    {
      framework: 'ray',
      name: 'bench-rayjob',
      owner: 'ml-platform-team',
      workers: 4,
      gpusPerWorker: 8,
      autoscaling: true,
      maxWorkers: 16,
    },
  ],
  [
    'RayCluster',
    {
      framework: 'ray',
      name: 'bench-raycluster',
      owner: 'ml-platform-team',
      mode: 'raycluster',
      workers: 2,
    },
  ],
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

console.log(
  `render time per repo over ${runs} runs (after 20 warm-up runs), milliseconds`,
);
console.log('case                 mean    p50    p95   files  bytes');
for (const [label, spec] of cases) {
  for (let i = 0; i < 20; i++) renderTrainingRepo(spec);
  const times: number[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const out = renderTrainingRepo(spec);
    times.push(performance.now() - start);
    files = out.length;
    bytes = out.reduce((n, f) => n + f.content.length, 0);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label.padEnd(20)} ${mean.toFixed(3).padStart(6)} ${quantile(times, 0.5)
      .toFixed(3)
      .padStart(6)} ${quantile(times, 0.95).toFixed(3).padStart(6)} ${String(
      files,
    ).padStart(7)} ${String(bytes).padStart(6)}`,
  );
}

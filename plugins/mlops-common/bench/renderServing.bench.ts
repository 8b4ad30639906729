/* eslint-disable no-console */
// Plan and render times per serving repo:
//   yarn bench:plan [runs]            planServingMemory only (default 5000 runs per case)
//   yarn bench:render-serving [runs]  renderServingRepo, the whole repo (default 200 runs per case)
import { performance } from 'node:perf_hooks';
import {
  planPresetServing,
  renderServingRepo,
  type PresetPlanInput,
  type ServingSpecInput,
} from '../src';

const mode = process.argv[2] === 'plan' ? 'plan' : 'render';
const defaultRuns = mode === 'plan' ? 5000 : 200;
const runs = Math.min(
  Math.max(Number(process.argv[3] ?? defaultRuns) || defaultRuns, 10),
  100_000,
);

const base = { owner: 'ml-platform-team', modelUri: 's3://models/bench' };
const cases: Array<[string, ServingSpecInput]> = [
  [
    'vLLM 8B x1 H100',
    { ...base, name: 'b1', model: 'llama-3.1-8b-instruct', gpu: 'h100-80gb' },
  ],
  [
    'vLLM 70B x4 H100',
    {
      ...base,
      name: 'b2',
      model: 'llama-3.1-70b-instruct',
      gpu: 'h100-80gb',
      tensorParallelSize: 4,
      monitor: 'podmonitor',
    },
  ],
  [
    'vLLM 7B MIG 3g',
    {
      ...base,
      name: 'b3',
      model: 'qwen2.5-7b-instruct',
      gpu: 'h100-80gb-mig-3g.40gb',
    },
  ],
  [
    'Triton vLLM 14B',
    { ...base, name: 'b4', engine: 'triton-vllm', model: 'phi-4', gpu: 'l40s' },
  ],
  [
    'Triton TRT-LLM 72B',
    {
      ...base,
      name: 'b5',
      engine: 'triton-tensorrt-llm',
      model: 'qwen2.5-72b-instruct',
      gpu: 'h200-141gb',
      tensorParallelSize: 2,
    },
  ],
  // A refusal pays for the search of the nearest configuration that fits.
  [
    'refused 70B on L4',
    { ...base, name: 'b6', model: 'llama-3-70b-instruct', gpu: 'l4' },
  ],
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function once(spec: ServingSpecInput): number {
  if (mode === 'plan') {
    const s = spec as PresetPlanInput & ServingSpecInput;
    planPresetServing({
      model: s.model,
      gpu: s.gpu,
      tensorParallelSize: s.tensorParallelSize ?? 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 8192,
    });
    return 0;
  }
  try {
    return renderServingRepo(spec).reduce((n, f) => n + f.content.length, 0);
  } catch {
    return 0;
  }
}

console.log(
  `${mode === 'plan' ? 'plan' : 'render'} time per ${
    mode === 'plan' ? 'plan' : 'repo'
  } over ${runs} runs (after 20 warm-up runs), milliseconds`,
);
console.log('case                    mean     p50     p95   bytes');
for (const [label, spec] of cases) {
  for (let i = 0; i < 20; i++) once(spec);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = once(spec);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label.padEnd(22)} ${mean.toFixed(4).padStart(7)} ${quantile(times, 0.5)
      .toFixed(4)
      .padStart(7)} ${quantile(times, 0.95).toFixed(4).padStart(7)} ${String(
      bytes,
    ).padStart(7)}`,
  );
}

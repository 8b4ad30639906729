/**
 * The planned KV-cache range of a serving repo, read back from its `plan.json` (or from the
 * summary object itself), for comparing a plan with what the running server reports
 * (`vllm:cache_config_info` num_gpu_blocks × block_size).
 */

/** @public */
export interface PlannedKvRange {
  vllmRelease: string;
  verdict: 'fits' | 'borderline' | 'does-not-fit';
  blockSize: number;
  maxModelLen: number;
  tokens: { low: number; middle: number; high: number };
  blocks: { low: number; middle: number; high: number };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function triple(v: unknown): PlannedKvRange['tokens'] | undefined {
  if (!isObject(v)) return undefined;
  const { low, middle, high } = v;
  const ok = [low, middle, high].every(
    n => typeof n === 'number' && Number.isFinite(n),
  );
  return ok
    ? { low: low as number, middle: middle as number, high: high as number }
    : undefined;
}

/**
 * The KV range of a plan summary (`plan.json` parsed, or its text), or undefined when it is
 * not one this version writes (plans rendered before the range existed have none).
 * @public
 */
export function plannedKvRange(planJson: unknown): PlannedKvRange | undefined {
  let value = planJson;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isObject(value) || !isObject(value.kvCache)) return undefined;
  const kv = value.kvCache;
  const tokens = triple(kv.tokens);
  const blocks = triple(kv.blocks);
  const verdict = value.verdict;
  if (
    !tokens ||
    !blocks ||
    typeof value.vllmRelease !== 'string' ||
    typeof kv.blockSize !== 'number' ||
    typeof value.maxModelLen !== 'number' ||
    (verdict !== 'fits' &&
      verdict !== 'borderline' &&
      verdict !== 'does-not-fit')
  ) {
    return undefined;
  }
  return {
    vllmRelease: value.vllmRelease,
    verdict,
    blockSize: kv.blockSize,
    maxModelLen: value.maxModelLen,
    tokens,
    blocks,
  };
}

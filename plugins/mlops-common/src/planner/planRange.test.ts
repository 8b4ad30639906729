import { plannedKvRange } from './planRange';

describe('plannedKvRange', () => {
  const summary = {
    vllmRelease: 'v0.29.0',
    verdict: 'fits',
    maxModelLen: 8192,
    kvCache: {
      blockSize: 16,
      blocksPerRequest: 512,
      blocks: { low: 10, middle: 20, high: 30 },
      tokens: { low: 160, middle: 320, high: 480 },
    },
  };

  it('reads the range from plan.json text or its object', () => {
    const expected = {
      vllmRelease: 'v0.29.0',
      verdict: 'fits',
      blockSize: 16,
      maxModelLen: 8192,
      tokens: { low: 160, middle: 320, high: 480 },
      blocks: { low: 10, middle: 20, high: 30 },
    };
    expect(plannedKvRange(summary)).toEqual(expected);
    expect(plannedKvRange(JSON.stringify(summary))).toEqual(expected);
  });

  it('gives undefined for plans without a range and for anything else', () => {
    expect(plannedKvRange({ kvCacheTokens: 448448 })).toBeUndefined();
    expect(plannedKvRange('{not json')).toBeUndefined();
    expect(plannedKvRange({ ...summary, verdict: 'maybe' })).toBeUndefined();
    expect(
      plannedKvRange({
        ...summary,
        kvCache: { ...summary.kvCache, tokens: { low: 1 } },
      }),
    ).toBeUndefined();
  });
});

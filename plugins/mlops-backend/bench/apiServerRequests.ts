/**
 * Requests the API server itself counted (`apiserver_request_total` on its /metrics), by verb,
 * so a benchmark measures what a view costs the cluster from the cluster's side.
 */
import { rawRequest } from '@mlops-plugins/sandbox';
import type { KubeConfig } from '@kubernetes/client-node';

export type VerbCounts = Map<string, number>;

export async function apiServerRequestCounts(
  admin: KubeConfig,
): Promise<VerbCounts> {
  const res = await rawRequest(
    admin,
    'GET',
    '/metrics',
    undefined,
    'text/plain',
    {
      Accept: 'text/plain',
    },
  );
  if (res.status !== 200) {
    throw new Error(`API server /metrics answered ${res.status}`);
  }
  const counts: VerbCounts = new Map();
  for (const line of String(res.body).split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1] ?? '?';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    counts.set(verb, (counts.get(verb) ?? 0) + value);
  }
  return counts;
}

/** after − before, per verb, and the total. */
export function countsBetween(before: VerbCounts, after: VerbCounts) {
  const byVerb = new Map<string, number>();
  for (const [verb, value] of after) {
    const delta = value - (before.get(verb) ?? 0);
    if (delta > 0) byVerb.set(verb, delta);
  }
  const total = [...byVerb.values()].reduce((a, b) => a + b, 0);
  return { byVerb, total };
}

/** Counts `during` a window minus those of an idle `background` window of the same length. */
export function withoutBackground(
  during: ReturnType<typeof countsBetween>,
  background: ReturnType<typeof countsBetween>,
) {
  // Fewer than in the idle window means none of them came from the views.
  const byVerb = new Map<string, number>();
  for (const [verb, value] of during.byVerb) {
    byVerb.set(verb, Math.max(0, value - (background.byVerb.get(verb) ?? 0)));
  }
  return {
    byVerb,
    total: [...byVerb.values()].reduce((sum, v) => sum + v, 0),
  };
}

/** The sum of two windows' counts. */
export function addCounts(
  a: ReturnType<typeof countsBetween>,
  b: ReturnType<typeof countsBetween>,
) {
  const byVerb = new Map(a.byVerb);
  for (const [verb, value] of b.byVerb) {
    byVerb.set(verb, (byVerb.get(verb) ?? 0) + value);
  }
  return { byVerb, total: a.total + b.total };
}

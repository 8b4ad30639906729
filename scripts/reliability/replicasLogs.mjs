// Reads what the replicas did from their logs: reconcile pass start and end, and the
// reconciler's audit lines (`mlops audit: applied <group/kind/namespace/name> for <ref>`).
import fs from 'node:fs/promises';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const APPLIED = /mlops audit: applied (\S+) for (\S+) as /;
const PASS_END =
  /mlops reconcile pass over (\d+) entities: (\{.*?\}) in (\d+) ms/;

/** Events of one replica's log, in order: { replica, at, type, object?, entityRef?, counts? }. */
export async function replicaEvents(replica) {
  const text = await fs.readFile(replica.logFile, 'utf8').catch(() => '');
  const events = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(ANSI, '');
    const at = Date.parse(line.split(' ', 1)[0]);
    if (Number.isNaN(at)) continue;
    const base = { replica: replica.name, at };
    let match;
    if (line.includes('mlops reconcile pass started')) {
      events.push({ ...base, type: 'start' });
    } else if ((match = PASS_END.exec(line))) {
      events.push({ ...base, type: 'end', counts: JSON.parse(match[2]) });
    } else if ((match = APPLIED.exec(line))) {
      events.push({
        ...base,
        type: 'apply',
        object: match[1],
        entityRef: match[2],
      });
    } else if (line.includes('Registered scheduled task: mlops-reconcile')) {
      events.push({ ...base, type: 'registered' });
    }
  }
  return events;
}

export async function allEvents(replicas) {
  const lists = await Promise.all(replicas.map(replicaEvents));
  return lists.flat().sort((a, b) => a.at - b.at);
}

/** Each replica's passes as [start, end] (end = Infinity while running or when killed). */
export function passesOf(events) {
  const passes = [];
  const open = new Map();
  for (const event of events) {
    if (event.type === 'start') {
      open.set(event.replica, {
        replica: event.replica,
        start: event.at,
        end: Infinity,
      });
      passes.push(open.get(event.replica));
    } else if (event.type === 'end' && open.has(event.replica)) {
      open.get(event.replica).end = event.at;
      open.delete(event.replica);
    }
  }
  return passes;
}

/** Pairs of passes of different replicas that overlap in time. */
export function overlappingPasses(passes) {
  const overlaps = [];
  for (const [i, a] of passes.entries()) {
    for (const b of passes.slice(i + 1)) {
      if (a.replica !== b.replica && a.start < b.end && b.start < a.end) {
        overlaps.push([a, b]);
      }
    }
  }
  return overlaps;
}

/** Applies per object: Map<object, [{ replica, at }]> */
export function appliesByObject(events) {
  const map = new Map();
  for (const event of events.filter(e => e.type === 'apply')) {
    if (!map.has(event.object)) map.set(event.object, []);
    map.get(event.object).push({ replica: event.replica, at: event.at });
  }
  return map;
}

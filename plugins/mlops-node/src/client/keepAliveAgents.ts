import crypto from 'node:crypto';
import https from 'node:https';

/** Agents kept at once; the least recently used one is closed first. */
const MAX_AGENTS = 32;
/** An idle connection is closed after this long. */
const IDLE_MS = 30_000;

const TLS_FIELDS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
] as const;

const agents = new Map<string, https.Agent>();

function tlsKey(options: https.RequestOptions): string {
  const hash = crypto.createHash('sha256');
  for (const field of TLS_FIELDS) {
    const value = options[field];
    hash.update(`${field}=`);
    for (const part of [value].flat()) {
      if (part !== undefined) {
        hash.update(Buffer.isBuffer(part) ? part : String(part));
      }
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/**
 * One keep-alive agent per TLS identity (CA, client certificate, verification settings).
 * client-node's `applyToHTTPSOptions` makes a new agent on every call, so each request would
 * open a new TLS connection: the profile of a first convergence showed most of the client's
 * CPU in handshakes (and the API server pays for each one too). An exec plugin that rotates
 * its client certificate gets a new agent; the old one is closed once it falls out of use.
 */
export function keepAliveAgent(options: https.RequestOptions): https.Agent {
  const key = tlsKey(options);
  let agent = agents.get(key);
  if (agent) {
    agents.delete(key);
  } else {
    agent = new https.Agent({
      keepAlive: true,
      scheduling: 'lifo',
      timeout: IDLE_MS,
      ...Object.fromEntries(TLS_FIELDS.map(f => [f, options[f]])),
    });
  }
  agents.set(key, agent);
  if (agents.size > MAX_AGENTS) {
    const [oldest, evicted] = agents.entries().next().value!;
    agents.delete(oldest);
    evicted.destroy();
  }
  return agent;
}

/** Closes every kept connection (tests, shutdown). */
export function closeKeepAliveAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

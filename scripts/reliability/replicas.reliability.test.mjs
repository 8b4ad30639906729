// Two real backend replicas on one PostgreSQL, reconciling 30 entities to a real
// kube-apiserver (with its audit log on). Checks that every entity converges, that each object
// is applied once (our audit lines and the API server's audit log agree), that reconcile
// passes never overlap across replicas, and that when the replica holding the pass is
// SIGKILLed mid-pass, the other one takes over within one reconcile interval.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPostgres } from '../postgres/postgres.mjs';
import { eventually } from '@mlops-plugins/test-support';
import { auditedApplies, startAuditedCluster } from './replicasCluster.mjs';
import { repoRoot, startReplica } from './replicasBackend.mjs';
import {
  allEvents,
  appliesByObject,
  overlappingPasses,
  passesOf,
} from './replicasLogs.mjs';
import {
  entityNames,
  OWNER,
  setManifest,
  writeWorkloads,
} from './replicasWorkloads.mjs';

const pg = createRequire(path.join(repoRoot, 'packages/backend/package.json'))(
  'pg',
);

const COUNT = 30;
const NAMESPACE = 'replicas';
// A killed holder's lock lapses after TIMEOUT; the scheduler's janitor frees it within a
// minute after that, and the other replica polls every 5 s: INTERVAL covers all three.
const TIMEOUT_S = 20;
const INTERVAL_S = 90;
const TAKEOVER_BOUND_MS = (TIMEOUT_S + 60 + 5) * 1000;
const SLACK_MS = 20_000;
const CONCURRENCY = 4;
const log = line => process.stderr.write(`replicas: ${line}\n`);

let workDir;
let postgres;
let cluster;
const replicas = [];
let dbPrefix;
const names = entityNames(COUNT);

async function liveValues() {
  const res = await cluster.get(`/api/v1/namespaces/${NAMESPACE}/configmaps`);
  assert.equal(res.status, 200);
  return new Map(res.body.items.map(cm => [cm.metadata.name, cm.data?.value]));
}

async function expectValues(expected) {
  const live = await liveValues();
  const wrong = [...expected].filter(([n, v]) => live.get(n) !== v);
  assert.deepEqual(wrong, [], 'ConfigMaps without the expected value');
}

async function reconcileRecords() {
  // The mlops plugin's own database (Backstage names it `<prefix><pluginId>`).
  const url = new URL(postgres.connectionString);
  url.pathname = `/${dbPrefix}mlops`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select entity_ref, result, message, last_attempt_at from mlops_entity_state',
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function expectAllSynced(since) {
  const rows = await reconcileRecords();
  const synced = rows.filter(
    r => r.result === 'synced' && Date.parse(r.last_attempt_at) >= since,
  );
  assert.equal(
    synced.length,
    COUNT,
    `records: ${JSON.stringify(rows.filter(r => !synced.includes(r)))}`,
  );
}

const expected = (a, b = () => 'v1') =>
  new Map(
    names.flatMap(n => [
      [`${n}-a`, a(n)],
      [`${n}-b`, b(n)],
    ]),
  );
// The audit names objects by identity, group/kind/namespace/name (the core group is empty).
const objectOf = configMap => `/ConfigMap/${NAMESPACE}/${configMap}`;

/** Runs a test body; a failure carries the end of both replicas' logs. */
const withLogs = fn => async () => {
  try {
    await fn();
  } catch (error) {
    error.message += `\n${await tails()}`;
    throw error;
  }
};

async function tails() {
  const parts = await Promise.all(
    replicas.map(async r => {
      const lines = (await r.readLog()).split('\n').slice(-30).join('\n');
      return `--- ${r.name}\n${lines}`;
    }),
  );
  return parts.join('\n');
}

describe('two backend replicas on one PostgreSQL', () => {
  before(
    async () => {
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-replicas-'));
      postgres = await startPostgres({ log });
      // Plugin databases of this run only, whatever else lives on the server.
      dbPrefix = `replicas_${Date.now().toString(36)}_`;
      cluster = await startAuditedCluster({
        workDir,
        namespace: NAMESPACE,
        log,
      });
      const location = await writeWorkloads(path.join(workDir, 'repo'), {
        count: COUNT,
        namespace: NAMESPACE,
      });
      const config = path.join(workDir, 'app-config.replicas.yaml');
      await fs.writeFile(
        config,
        JSON.stringify({
          backend: {
            database: {
              client: 'pg',
              connection: postgres.connectionString,
              prefix: dbPrefix,
            },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Location'] }],
            locations: [{ type: 'file', target: location }],
          },
          mlops: {
            clusters: [
              {
                name: 'sandbox',
                url: cluster.plane.server,
                caFile: cluster.caFile,
                auth: { serviceAccountTokenFile: cluster.tokenFile },
                namespaces: [
                  {
                    name: NAMESPACE,
                    owners: [OWNER],
                    serviceAccount: 'backstage-mlops',
                    sources: [`${path.join(workDir, 'repo')}/*`],
                  },
                ],
              },
            ],
            reconcile: {
              interval: { seconds: INTERVAL_S },
              timeout: { seconds: TIMEOUT_S },
            },
          },
        }),
      );
      // One after the other, as a rolling deploy does: Backstage's own plugins race on
      // creating their migration tables when two processes start on an empty database.
      for (const name of ['replica-a', 'replica-b']) {
        replicas.push(await startReplica(name, workDir, [config], 600_000));
      }
      log(
        `replicas up: ${replicas
          .map(r => `${r.name} ${r.baseUrl} in ${r.startupMs} ms`)
          .join(', ')}`,
      );
    },
    { timeout: 900_000 },
  );

  after(
    async () => {
      await Promise.all(replicas.map(r => r.stop()));
      await cluster?.plane.stop();
      await postgres?.stop();
      if (workDir) await fs.rm(workDir, { recursive: true, force: true });
    },
    { timeout: 120_000 },
  );

  let convergedAt;

  it(
    'converges every entity, applying each object once, one replica at a time',
    withLogs(async () => {
      const started = Date.now();
      await eventually(
        'every ConfigMap applied and every record synced',
        async () => {
          await expectValues(expected(() => 'v1'));
          await expectAllSynced(0);
        },
        INTERVAL_S * 1000 * 2 + 120_000,
        2000,
      );
      convergedAt = Date.now();
      log(`${COUNT} entities converged after ${convergedAt - started} ms`);
      // One more whole pass with nothing to do.
      await eventually(
        'a pass ending after convergence',
        async () => {
          const events = await allEvents(replicas);
          assert.ok(events.some(e => e.type === 'end' && e.at > convergedAt));
        },
        INTERVAL_S * 1000 + 60_000,
        1000,
      );

      const events = await allEvents(replicas);
      for (const r of replicas) {
        assert.doesNotMatch(await r.readLog(), /Backend startup failed/);
        assert.ok(
          events.some(e => e.replica === r.name && e.type === 'registered'),
          `${r.name} registered the reconcile task`,
        );
      }
      const passes = passesOf(events);
      assert.ok(passes.length >= 2, `passes: ${passes.length}`);
      assert.deepEqual(overlappingPasses(passes), []);

      const applies = appliesByObject(events);
      const counts = [...applies].map(([o, list]) => [o, list.length]);
      assert.equal(applies.size, COUNT * 2, 'objects applied');
      assert.deepEqual(
        counts.filter(([, n]) => n !== 1),
        [],
        'objects applied more than once',
      );
      const audited = await auditedApplies(cluster.auditLogFile, NAMESPACE);
      assert.equal(
        audited.size,
        COUNT * 2,
        "objects in the API server's audit",
      );
      assert.deepEqual(
        [...audited].filter(([, n]) => n !== 1),
        [],
        'objects patched more than once according to the API server',
      );
      const byReplica = Object.fromEntries(
        replicas.map(r => [
          r.name,
          passes.filter(p => p.replica === r.name).length,
        ]),
      );
      log(
        `passes so far by replica: ${JSON.stringify(byReplica)}; applies ${
          applies.size
        } (ours) = ${[...audited.values()].reduce(
          (a, b) => a + b,
          0,
        )} (API server)`,
      );
    }),
    { timeout: 900_000 },
  );

  it(
    'hands the pass to the other replica within one interval when the holder is killed mid-pass',
    withLogs(async () => {
      assert.ok(convergedAt, 'the first test converged');
      const repo = path.join(workDir, 'repo');
      const changedAt = Date.now();
      for (const name of names) await setManifest(repo, name, 'a', 'v2');

      // The next pass applies 30 changes; kill its holder at its first apply.
      const { holder, passStart } = await eventually(
        'a pass applying the change',
        async () => {
          const events = await allEvents(replicas);
          const start = events.find(
            e => e.type === 'start' && e.at > changedAt,
          );
          assert.ok(start, 'no pass started yet');
          const applied = events.find(
            e =>
              e.type === 'apply' &&
              e.replica === start.replica &&
              e.at >= start.at,
          );
          assert.ok(applied, 'no apply yet');
          return {
            holder: replicas.find(r => r.name === start.replica),
            passStart: start.at,
          };
        },
        INTERVAL_S * 1000 + 60_000,
        100,
      );
      await holder.kill();
      const killedAt = Date.now();
      const survivor = replicas.find(r => r !== holder);
      const holderEvents = await allEvents([holder]);
      assert.ok(
        !holderEvents.some(e => e.type === 'end' && e.at >= passStart),
        `${holder.name} was killed mid-pass`,
      );
      const appliedByKilled = holderEvents.filter(
        e => e.type === 'apply' && e.at >= passStart,
      );
      log(
        `killed ${holder.name} ${
          killedAt - passStart
        } ms into its pass, after ${appliedByKilled.length} applies`,
      );

      // A change made after the kill: only the survivor can apply it.
      await setManifest(repo, names[0], 'b', 'after-kill');
      const changed2At = Date.now();
      await eventually(
        'the survivor applied every change',
        () =>
          expectValues(
            expected(
              () => 'v2',
              n => (n === names[0] ? 'after-kill' : 'v1'),
            ),
          ),
        TAKEOVER_BOUND_MS + SLACK_MS + 30_000,
        500,
      );
      await eventually(
        'every record synced after the kill',
        () => expectAllSynced(changed2At),
        60_000,
        1000,
      );

      const events = await allEvents(replicas);
      const takeover = events.find(
        e =>
          e.replica === survivor.name && e.type === 'start' && e.at > killedAt,
      );
      const lateApply = events.find(
        e =>
          e.type === 'apply' &&
          e.object === objectOf(`${names[0]}-b`) &&
          e.at > changed2At,
      );
      assert.ok(takeover, `${survivor.name} started a pass after the kill`);
      assert.equal(lateApply.replica, survivor.name);
      const takeoverMs = takeover.at - killedAt;
      const appliedMs = lateApply.at - changed2At;
      log(
        `takeover: ${survivor.name} started a pass ${takeoverMs} ms after the kill; the post-kill change was applied ${appliedMs} ms after it was made (interval ${INTERVAL_S} s, timeout ${TIMEOUT_S} s)`,
      );
      assert.ok(
        takeoverMs <= INTERVAL_S * 1000 + SLACK_MS,
        `takeover took ${takeoverMs} ms`,
      );

      // Passes never overlapped; the killed one ended with its process.
      const passes = passesOf(events).map(p =>
        p.replica === holder.name && p.end === Infinity
          ? { ...p, end: killedAt }
          : p,
      );
      assert.deepEqual(overlappingPasses(passes), []);

      // Each changed object was applied once, except the killed replica's last ones: applied,
      // but its inventory was not recorded, so the survivor applies those again (at most one
      // entity per concurrent slot).
      const applies = appliesByObject(events.filter(e => e.at > changedAt));
      const twice = [];
      for (const name of names) {
        const list = applies.get(objectOf(`${name}-a`)) ?? [];
        assert.ok(
          list.length >= 1 && list.length <= 2,
          `${name}-a: ${list.length}`,
        );
        if (list.length === 2) {
          assert.deepEqual(
            list.map(a => a.replica),
            [holder.name, survivor.name],
            `${name}-a applied twice`,
          );
          twice.push(name);
        }
      }
      assert.ok(twice.length <= CONCURRENCY, `re-applied: ${twice.join(', ')}`);
      assert.equal(applies.get(objectOf(`${names[0]}-b`))?.length, 1);
      const otherB = names
        .slice(1)
        .filter(n => applies.has(objectOf(`${n}-b`)));
      assert.deepEqual(otherB, [], 'unchanged objects applied again');

      // The API server saw the same applies; the killed replica may have sent one per slot
      // without living to log it.
      const ours = appliesByObject(events);
      const audited = await auditedApplies(cluster.auditLogFile, NAMESPACE);
      const unlogged = [];
      for (const [object, count] of audited) {
        const name = object.replace('configmaps/', '');
        const logged = ours.get(objectOf(name))?.length ?? 0;
        assert.ok(
          count === logged || (count === logged + 1 && name.endsWith('-a')),
          `${object}: API server ${count}, our audit ${logged}`,
        );
        if (count !== logged) unlogged.push(name);
      }
      assert.ok(unlogged.length <= CONCURRENCY, `unlogged: ${unlogged}`);
      log(
        `after the kill: ${twice.length} objects applied again by ${
          survivor.name
        } (${twice.join(', ') || 'none'}), ${
          unlogged.length
        } applies reached the API server unlogged`,
      );
      assert.ok(!holder.isRunning());
    }),
    { timeout: 900_000 },
  );
});

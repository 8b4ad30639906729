// Issue 9 item 6: 100 concurrent viewers load status and metrics for 60 s, over 1,000
// entities, through the real backend process, a real kube-apiserver + etcd and a real
// Prometheus; no request may fail. Runs `yarn bench:status --reliability` (the stack lives
// there) and checks the summary it writes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const ENTITIES = 1000;
const VIEWERS = 100;
const SECONDS = 60;
/** Start-up (control plane, 5,000 objects, backend, catalog) plus the 60 s of load. */
const TIMEOUT_MS = 420_000;

function runBench(jsonFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        './node_modules/@backstage/cli/config/nodeTransform.cjs',
        'plugins/mlops-backend/bench/status.bench.ts',
        String(ENTITIES),
        String(VIEWERS),
        String(SECONDS),
        '--reliability',
        '--json',
        jsonFile,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // The bench's table and progress go to stderr, where node --test leaves them readable.
    child.stdout.pipe(process.stderr);
    child.stderr.pipe(process.stderr);
    // SIGTERM lets the bench stop its control plane, Prometheus and backend.
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS - 30_000);
    child.on('exit', code => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`bench:status --reliability exited ${code}`));
    });
  });
}

describe(`${VIEWERS} viewers on status and metrics for ${SECONDS} s`, () => {
  let dir;
  let result;

  before(
    async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-load-'));
      const jsonFile = path.join(dir, 'load.json');
      await runBench(jsonFile);
      result = JSON.parse(await fs.readFile(jsonFile, 'utf8'));
    },
    { timeout: TIMEOUT_MS },
  );

  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  for (const endpoint of ['status', 'metrics']) {
    it(`answers every ${endpoint} request, over ${ENTITIES} entities`, () => {
      const s = result[endpoint];
      process.stderr.write(
        `load: ${endpoint}: ${s.requests} requests, ${
          s.errors
        } errors, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(
          1,
        )} ms, p99 ${s.p99.toFixed(1)} ms, ${s.perSecond.toFixed(0)}/s\n`,
      );
      assert.equal(result.entities, ENTITIES);
      assert.equal(result.viewers, VIEWERS);
      assert.equal(s.errors, 0, `errors, e.g.: ${s.errorExamples.join(' | ')}`);
      // Every viewer got through many page loads, not one slow one.
      assert.ok(s.requests >= VIEWERS * 5, `only ${s.requests} requests`);
      assert.ok(Number.isFinite(s.p99) && s.p99 > 0, `p99 is ${s.p99}`);
    });
  }
});

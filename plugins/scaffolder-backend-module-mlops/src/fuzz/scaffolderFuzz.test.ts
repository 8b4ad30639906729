import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleMlops } from '../module';
import { hostileCases, validInput, type FuzzCase } from './hostileInputs';
import { mulberry32 } from './prng';

const SEED = Number(process.env.MLOPS_FUZZ_SEED ?? 20261127);
const COUNT = 200;
/** Stop generating new requests after this long; the cases run so far still count. */
const BUDGET_MS = 100_000;

/** Every path under `root`, relative, sorted: what "nothing written" is compared on. */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      out.push(path.relative(root, full));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(root);
  return out.sort();
}

const symmetricDifference = (a: string[], b: string[]) => [
  ...a.filter(x => !b.includes(x)),
  ...b.filter(x => !a.includes(x)),
];

const template = (action: string, input: Record<string, unknown>) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'fuzz' },
  spec: {
    owner: 'group:default/ml-platform-team',
    type: 'service',
    parameters: [],
    steps: [{ id: 'fuzz', name: 'fuzz', action, input }],
  },
});

/** A manifests directory for mlops:manifests:validate, seeded into every dry-run workspace. */
const directoryContents = [
  {
    path: 'deploy/cm.yaml',
    base64Content: Buffer.from(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fuzz\ndata: {a: "1"}\n',
    ).toString('base64'),
  },
];

/** What is wrong with the scaffolder's answer to one case, or undefined when it is right. */
function checkOutcome(
  fuzz: FuzzCase,
  response: request.Response,
): string | undefined {
  if (response.status === 200) {
    if (fuzz.mustFail) return 'succeeded, but the value is never valid';
    const escaped = response.body.directoryContents.filter(
      (f: { path: string }) =>
        path.posix.isAbsolute(f.path) || f.path.split('/').includes('..'),
    );
    return escaped.length ? `wrote outside: ${escaped}` : undefined;
  }
  // A refusal is the caller's error (4xx), not a crash of the backend (5xx).
  if (response.status >= 500) return `answered ${response.status}`;
  const message = JSON.stringify(
    response.body.error?.message ?? response.body.errors ?? response.text,
  );
  const leaf = fuzz.field.split('.').pop()!;
  // A bad `values` map is reported field by field, as "invalid … spec: name: …".
  const names = leaf === 'values' ? ['values', 'spec'] : [leaf];
  return names.some(n => message.includes(n))
    ? undefined
    : `refused without naming ${leaf}: ${message.slice(0, 300)}`;
}

describe(`scaffolder dry-run fuzz of the mlops actions (seed ${SEED}, ${COUNT} cases)`, () => {
  jest.setTimeout(180_000);
  const previousTmp = process.env.TMPDIR;
  let root: string;
  let server: Server;
  let backend: TestBackend | undefined;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-fuzz-'));
    for (const dir of ['tmp', 'work', 'publish', 'outside']) {
      fs.mkdirSync(path.join(root, dir));
    }
    // Everything the scaffolder writes through os.tmpdir() lands under root too.
    process.env.TMPDIR = path.join(root, 'tmp');
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleMlops,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { workingDirectory: path.join(root, 'work') },
            mlops: {
              scaffolder: {
                localPublish: { root: path.join(root, 'publish') },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await backend?.stop();
    process.env.TMPDIR = previousTmp;
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses hostile inputs naming the field, writes nothing outside the workspace, and stays up', async () => {
    // eslint-disable-next-line no-console
    console.info(`fuzz seed ${SEED} (replay with MLOPS_FUZZ_SEED=${SEED})`);
    const cases = hostileCases(
      mulberry32(SEED),
      COUNT,
      path.join(root, 'outside'),
    );
    // A valid input renders into the dry-run workspace: the fuzz below exercises real writes.
    const valid = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template: template(
          'mlops:training:render',
          validInput('mlops:training:render'),
        ),
        values: {},
        directoryContents,
      });
    expect(valid.status).toBe(200);
    expect(
      valid.body.directoryContents.map((f: { path: string }) => f.path),
    ).toContain('out/catalog-info.yaml');
    let before = tree(root);
    const started = Date.now();
    const tally = { refused: 0, succeeded: 0 };
    let run = 0;
    const problems: string[] = [];
    for (const fuzz of cases) {
      if (Date.now() - started > BUDGET_MS) break;
      run++;
      const response = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', mockCredentials.user.header())
        .send({
          template: template(fuzz.action, fuzz.input),
          values: {},
          directoryContents,
        });
      const label = {
        action: fuzz.action,
        field: fuzz.field,
        value: JSON.stringify(fuzz.value)?.slice(0, 80),
      };
      const outcome = checkOutcome(fuzz, response);
      if (outcome) problems.push(`${JSON.stringify(label)}: ${outcome}`);
      if (response.status === 200) tally.succeeded++;
      else tally.refused++;
      // The dry run leaves nothing behind, in the publish root, TMPDIR or beside them.
      const after = tree(root);
      const changed = symmetricDifference(before, after);
      if (changed.length > 0) {
        problems.push(
          `${JSON.stringify(label)}: files changed: ${changed.join(', ')}`,
        );
        before = after;
      }
    }
    // eslint-disable-next-line no-console
    console.info(
      `fuzz: ${run} cases in ${Date.now() - started} ms: ${
        tally.refused
      } refused, ${tally.succeeded} succeeded`,
    );
    expect(problems).toEqual([]);
    expect(run).toBeGreaterThanOrEqual(50);
    expect(tally.refused).toBeGreaterThan(tally.succeeded);

    const actions = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(actions.status).toBe(200);
    expect(actions.body.map((a: { id: string }) => a.id)).toContain(
      'mlops:training:render',
    );
  });
});

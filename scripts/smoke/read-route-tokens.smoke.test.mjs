// The MLOps read routes check bearer tokens themselves (the framework lets them past its own
// check; plugins/mlops-backend/src/services/ReadModel/Callers.ts says why). This boots the real
// backend with a signing key the test holds (auth's static key store) and a JWKS it serves for
// service tokens (external access), and sends every read route forged, expired and other-key
// tokens: each must answer 401, as the framework-checked sync route does, while real tokens pass.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, startBackend } from '@mlops-plugins/test-support';

const ENTITY = '/api/mlops/v1/entities/component/default/llama3-8b-chat';
const READ_ROUTES = [`${ENTITY}/status`, `${ENTITY}/metrics`];
const SYNC = `${ENTITY}/sync`;
const KEY_ID = 'smoke-user-key';
const JWKS_ISSUER = 'mlops-smoke';

const b64url = data => Buffer.from(data).toString('base64url');
const ecKeys = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

function signJwt(header, payload, privateKey) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(
    JSON.stringify(payload),
  )}`;
  const signature = crypto.sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${b64url(signature)}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** A user token as the auth backend issues it (with the `uip` proof), signed by `key`. */
function userToken(key, { sub, iat = now(), exp = iat + 3600 }) {
  const uip = signJwt(
    { typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: KEY_ID },
    { sub, iat, exp },
    key,
  ).split('.')[2];
  return signJwt(
    { typ: 'vnd.backstage.user', alg: 'ES256', kid: KEY_ID },
    { sub, ent: [sub], aud: 'backstage', iat, exp, uip },
    key,
  );
}

/** The limited token a cookie would carry: valid, but not for these routes. */
function limitedUserToken(key, { sub, iat = now(), exp = iat + 3600 }) {
  return signJwt(
    { typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: KEY_ID },
    { sub, iat, exp },
    key,
  );
}

function serviceToken(key, { iat = now(), exp = iat + 3600 } = {}) {
  return signJwt(
    { alg: 'ES256', kid: 'smoke-service-key' },
    { iss: JWKS_ISSUER, sub: 'smoke-caller', iat, exp },
    key,
  );
}

let backend;
let jwksServer;
let work;
const userKey = ecKeys();
const serviceKey = ecKeys();
const otherKey = ecKeys();
let guest;
const guestRef = () => guest.identity.userEntityRef;

async function call(url, token, init = {}) {
  const res = await fetch(`${backend.baseUrl}${url}`, {
    ...init,
    headers: {
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Every read route, and sync for comparison, must answer 401 to `token`. */
async function expectRefusedEverywhere(what, token) {
  const statuses = {};
  for (const url of READ_ROUTES) statuses[url] = await call(url, token);
  statuses[SYNC] = await call(SYNC, token, { method: 'POST', body: '{}' });
  assert.deepEqual(
    statuses,
    Object.fromEntries(Object.keys(statuses).map(u => [u, 401])),
    `${what}: ${JSON.stringify(statuses)}`,
  );
}

/** Answers of the read routes to `token`: anything but 401 means it was accepted. */
async function readStatuses(token) {
  return Promise.all(READ_ROUTES.map(url => call(url, token)));
}

describe('read routes refuse bad tokens (real backend)', () => {
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-token-smoke-'));
    const privateKeyFile = path.join(work, 'private.pem');
    const publicKeyFile = path.join(work, 'public.pem');
    fs.writeFileSync(
      privateKeyFile,
      userKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    fs.writeFileSync(
      publicKeyFile,
      userKey.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const jwks = JSON.stringify({
      keys: [
        {
          ...serviceKey.publicKey.export({ format: 'jwk' }),
          kid: 'smoke-service-key',
          alg: 'ES256',
        },
      ],
    });
    jwksServer = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(jwks);
    });
    await new Promise(r => jwksServer.listen(0, '127.0.0.1', r));
    backend = await startBackend({
      name: 'token-smoke',
      workDir: work,
      config: {
        auth: {
          keyStore: {
            provider: 'static',
            static: {
              keys: [{ keyId: KEY_ID, publicKeyFile, privateKeyFile }],
            },
          },
        },
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'jwks',
                options: {
                  url: `http://127.0.0.1:${
                    jwksServer.address().port
                  }/jwks.json`,
                  issuer: JWKS_ISSUER,
                  algorithm: 'ES256',
                },
              },
            ],
          },
        },
      },
      timeoutMs: 180_000,
    });
    console.log(
      `# backend ready in ${backend.startupMs} ms at ${backend.baseUrl}`,
    );
    // Signing in records the guest's ownership, which permission checks on its behalf read.
    const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
    });
    assert.equal(res.status, 200);
    guest = (await res.json()).backstageIdentity;
    // The catalog reads the example entities in the background.
    await eventually(
      'the example workload in the catalog',
      async () => assert.equal(await call(READ_ROUTES[0], guest.token), 200),
      { timeoutMs: 120_000 },
    );
  });

  after(async () => {
    await backend?.stop();
    jwksServer?.closeAllConnections();
    await new Promise(r => (jwksServer ? jwksServer.close(r) : r()));
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('accepts the real tokens: the issued guest token, one signed with the same key, a trusted service token', async () => {
    const sub = guestRef();
    // metrics answers 404 (no cluster configured): past authentication either way.
    for (const [what, token] of [
      ['issued guest token', guest.token],
      [
        'guest token minted with the key',
        userToken(userKey.privateKey, { sub }),
      ],
      [
        'service token from the trusted JWKS',
        serviceToken(serviceKey.privateKey),
      ],
    ]) {
      assert.deepEqual(await readStatuses(token), [200, 404], what);
    }
  });

  it('refuses missing and malformed credentials', async () => {
    await expectRefusedEverywhere('no Authorization header', undefined);
    await expectRefusedEverywhere('not a JWT', 'not-a-token');
    await expectRefusedEverywhere('empty JWT parts', '..');
  });

  it('refuses forged tokens', async () => {
    const [header, payload, signature] = guest.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = b64url(
      JSON.stringify({ ...claims, sub: 'user:default/admin' }),
    );
    await expectRefusedEverywhere(
      'issued token with another subject, same signature',
      `${header}.${tampered}.${signature}`,
    );
    const longer = b64url(
      JSON.stringify({ ...claims, exp: claims.exp + 86400 }),
    );
    await expectRefusedEverywhere(
      'issued token with a later expiry, same signature',
      `${header}.${longer}.${signature}`,
    );
    await expectRefusedEverywhere(
      'alg none',
      `${b64url(
        JSON.stringify({ alg: 'none', typ: 'vnd.backstage.user' }),
      )}.${payload}.`,
    );
    await expectRefusedEverywhere(
      'HS256 keyed with the public key',
      (() => {
        const input = `${b64url(
          JSON.stringify({
            alg: 'HS256',
            kid: KEY_ID,
            typ: 'vnd.backstage.user',
          }),
        )}.${payload}`;
        const mac = crypto
          .createHmac(
            'sha256',
            userKey.publicKey.export({ type: 'spki', format: 'pem' }),
          )
          .update(input)
          .digest();
        return `${input}.${b64url(mac)}`;
      })(),
    );
    await expectRefusedEverywhere(
      'limited (cookie) user token',
      limitedUserToken(userKey.privateKey, { sub: claims.sub }),
    );
  });

  it('refuses expired tokens signed with the right keys', async () => {
    const sub = guestRef();
    const iat = now() - 7200;
    await expectRefusedEverywhere(
      'expired user token',
      userToken(userKey.privateKey, { sub, iat, exp: iat + 3600 }),
    );
    await expectRefusedEverywhere(
      'expired service token',
      serviceToken(serviceKey.privateKey, { iat, exp: iat + 3600 }),
    );
  });

  it('refuses tokens signed with another key under the trusted key ids', async () => {
    const sub = guestRef();
    await expectRefusedEverywhere(
      'user token, other key',
      userToken(otherKey.privateKey, { sub }),
    );
    await expectRefusedEverywhere(
      'service token, other key',
      serviceToken(otherKey.privateKey),
    );
  });

  it('stops accepting a token the moment it expires, though it was just verified', async () => {
    const sub = guestRef();
    const exp = now() + 3;
    const user = userToken(userKey.privateKey, { sub, exp });
    const service = serviceToken(serviceKey.privateKey, { exp });
    assert.deepEqual(await readStatuses(user), [200, 404]);
    assert.deepEqual(await readStatuses(service), [200, 404]);
    await new Promise(r => setTimeout(r, (exp + 1) * 1000 - Date.now()));
    await expectRefusedEverywhere('user token past its expiry', user);
    await expectRefusedEverywhere('service token past its expiry', service);
  });
});

/**
 * Tokens for as many distinct callers as the bench likes: a signing key whose JWKS this
 * process serves on 127.0.0.1, trusted by the bench backend as external access of type `jwks`.
 * Each token's subject is a caller the backend has not served yet, so no per-caller memory can
 * answer its first view. (Minted user tokens would not do: the permission backend looks up a
 * user's ownership from the auth backend, which knows only users who signed in.)
 */
import crypto from 'node:crypto';
import http from 'node:http';

const KEY_ID = 'bench-viewers';
const ISSUER = 'mlops-bench';

const b64url = (data: string | Buffer) =>
  Buffer.from(data).toString('base64url');

export interface ViewerTokens {
  /** An entry for `backend.auth.externalAccess`. */
  externalAccess: object;
  /** A token of a caller not seen before. */
  next(): string;
  stop(): Promise<void>;
}

export async function startViewerTokens(): Promise<ViewerTokens> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const jwks = JSON.stringify({
    keys: [
      { ...publicKey.export({ format: 'jwk' }), kid: KEY_ID, alg: 'ES256' },
    ],
  });
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(jwks);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let viewers = 0;
  return {
    externalAccess: {
      type: 'jwks',
      options: {
        url: `http://127.0.0.1:${port}/jwks.json`,
        issuer: ISSUER,
        algorithm: 'ES256',
      },
    },
    next() {
      const iat = Math.floor(Date.now() / 1000);
      const input = `${b64url(
        JSON.stringify({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' }),
      )}.${b64url(
        JSON.stringify({
          iss: ISSUER,
          sub: `viewer-${++viewers}`,
          iat,
          exp: iat + 3600,
        }),
      )}`;
      const signature = crypto.sign('sha256', Buffer.from(input), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${input}.${b64url(signature)}`;
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';

export interface TestPki {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** Signed by the CA for CN=test-user. */
  clientCertFile: string;
  clientKeyFile: string;
}

function openssl(dir: string, ...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function signedCert(dir: string, name: string, cn: string, ext: string) {
  openssl(
    dir,
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  );
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-set_serial',
    String(Date.now()),
    '-days',
    '1',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  );
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl. */
export function writeTestPki(dir: string): TestPki {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  );
  signedCert(dir, 'server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  signedCert(dir, 'client', 'test-user', 'extendedKeyUsage=clientAuth\n');
  return {
    caFile: path.join(dir, 'ca.crt'),
    serverCertFile: path.join(dir, 'server.crt'),
    serverKeyFile: path.join(dir, 'server.key'),
    clientCertFile: path.join(dir, 'client.crt'),
    clientKeyFile: path.join(dir, 'client.key'),
  };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** CN of a client certificate the CA signed, if one was sent. */
  clientCN?: string;
}

export interface TestApiServer {
  url: string;
  seen: SeenRequest[];
  /** What to answer; default 200 with an empty object. */
  respond: (req: SeenRequest) => { status: number; body?: unknown } | 'hang';
  close(): Promise<void>;
}

/** An HTTPS server that records what clients send it, for testing credentials and verbs. */
export async function startTestApiServer(pki: TestPki): Promise<TestApiServer> {
  const seen: SeenRequest[] = [];
  const state: TestApiServer = {
    url: '',
    seen,
    respond: () => ({ status: 200, body: {} }),
    close: async () => {},
  };
  const server = https.createServer(
    {
      key: fs.readFileSync(pki.serverKeyFile),
      cert: fs.readFileSync(pki.serverCertFile),
      ca: fs.readFileSync(pki.caFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const socket = req.socket as TLSSocket;
        const record: SeenRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          clientCN: socket.authorized
            ? (socket.getPeerCertificate().subject?.CN as string)
            : undefined,
        };
        seen.push(record);
        const answer = state.respond(record);
        if (answer === 'hang') return;
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer.body ?? {}));
      });
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Identities {
  adminToken: string;
  reconcilerToken: string;
  /** Static token file for --token-auth-file. */
  tokenFile: string;
  serviceAccountPublicKey: string;
  serviceAccountPrivateKey: string;
}

/** The user the reconciler authenticates as; RBAC grants it only what it needs. */
export const RECONCILER_USER = 'mlops-reconciler';

/**
 * Writes the service-account signing keys and a static token file with an admin
 * (system:masters) and the non-admin reconciler identity.
 */
export function writeIdentities(dir: string): Identities {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const serviceAccountPublicKey = path.join(dir, 'sa.pub');
  const serviceAccountPrivateKey = path.join(dir, 'sa.key');
  fs.writeFileSync(serviceAccountPublicKey, publicKey, { mode: 0o600 });
  fs.writeFileSync(serviceAccountPrivateKey, privateKey, { mode: 0o600 });

  const adminToken = crypto.randomBytes(24).toString('hex');
  const reconcilerToken = crypto.randomBytes(24).toString('hex');
  const tokenFile = path.join(dir, 'tokens.csv');
  fs.writeFileSync(
    tokenFile,
    `${adminToken},admin,admin,"system:masters"\n${reconcilerToken},${RECONCILER_USER},${RECONCILER_USER}\n`,
    { mode: 0o600 },
  );
  return {
    adminToken,
    reconcilerToken,
    tokenFile,
    serviceAccountPublicKey,
    serviceAccountPrivateKey,
  };
}

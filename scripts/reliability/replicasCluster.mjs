// The sandbox's control plane (real etcd + kube-apiserver) for the replica tests, with the API
// server's audit log on: every write in the workload namespace is one JSON line, whoever sent it.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './replicasBackend.mjs';

const sandboxDir = path.join(repoRoot, 'packages/sandbox');
const require = createRequire(path.join(sandboxDir, 'package.json'));
// The sandbox is TypeScript: load it the way its CLI does.
require(require.resolve('@backstage/cli/config/nodeTransform.cjs'));
const sandbox = require(path.join(sandboxDir, 'src/index.ts'));

export const { rawRequest } = sandbox;

export async function startAuditedCluster({ workDir, namespace, log }) {
  const policyFile = path.join(workDir, 'audit-policy.yaml');
  const auditLogFile = path.join(workDir, 'kube-apiserver-audit.log');
  await fs.writeFile(
    policyFile,
    [
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'omitStages: [RequestReceived]',
      'rules:',
      '  - level: Metadata',
      '    verbs: [create, update, patch, delete]',
      `    namespaces: [${namespace}]`,
      '  - level: None',
      '',
    ].join('\n'),
  );
  const plane = await sandbox.startControlPlane({
    log,
    apiServerArgs: [
      `--audit-policy-file=${policyFile}`,
      `--audit-log-path=${auditLogFile}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
    ],
  });
  try {
    await sandbox.allowWorkloadNamespace(plane.adminKubeConfig, namespace);
    const tokenFile = path.join(workDir, 'reconciler-token');
    await fs.writeFile(
      tokenFile,
      plane.reconcilerKubeConfig.getCurrentUser().token,
      { mode: 0o600 },
    );
    return {
      plane,
      tokenFile,
      caFile: plane.adminKubeConfig.getCurrentCluster().caFile,
      auditLogFile,
      /** GET as the sandbox admin; resolves to { status, body }. */
      get: apiPath => rawRequest(plane.adminKubeConfig, 'GET', apiPath),
    };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}

/** Server-side applies the API server answered, per `resource/name`, from its audit log. */
export async function auditedApplies(auditLogFile, namespace) {
  const text = await fs.readFile(auditLogFile, 'utf8').catch(() => '');
  const counts = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line);
    const ref = event.objectRef ?? {};
    if (
      event.stage !== 'ResponseComplete' ||
      event.verb !== 'patch' ||
      ref.namespace !== namespace ||
      !event.impersonatedUser ||
      event.responseStatus?.code >= 300
    ) {
      continue;
    }
    const key = `${ref.resource}/${ref.name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

import type {
  KubeConfig,
  V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { rawRequest, serverSideApply } from './rawApi';

const FIELD_MANAGER = 'mlops-sandbox';

/** Reads every CustomResourceDefinition document of the *.yaml / *.yml files in `dir`. */
export function readCrds(dir: string): V1CustomResourceDefinition[] {
  const files = fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort();
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const value = doc.toJS() as V1CustomResourceDefinition | null;
      if (value?.kind === 'CustomResourceDefinition') {
        crds.push(value);
      }
    }
  }
  if (crds.length === 0) {
    throw new Error(
      `No CustomResourceDefinition found in ${dir} (*.yaml, *.yml)`,
    );
  }
  return crds;
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return Boolean(
    crd.status?.conditions?.some(
      c => c.type === 'Established' && c.status === 'True',
    ),
  );
}

/**
 * Server-side applies the CRDs (idempotent) and waits until each is Established. Freshly
 * created CRDs briefly have no conditions at all; that counts as "not yet", not as failure.
 */
export async function installCrds(
  kc: KubeConfig,
  crds: V1CustomResourceDefinition[],
  timeoutMs = 60_000,
): Promise<string[]> {
  const base = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  for (const crd of crds) {
    const { status: _status, ...desired } = crd;
    const res = await serverSideApply(
      kc,
      `${base}/${crd.metadata!.name}`,
      desired,
      {
        fieldManager: FIELD_MANAGER,
        force: true,
      },
    );
    if (res.status >= 300) {
      throw new Error(
        `installing CRD ${crd.metadata!.name} failed (${res.status}): ${
          res.body?.message ?? JSON.stringify(res.body)
        }`,
      );
    }
  }
  const names = crds.map(c => c.metadata!.name!);
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(names);
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const live = await rawRequest(kc, 'GET', `${base}/${name}`);
      if (live.status === 200 && isEstablished(live.body)) pending.delete(name);
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `CRDs not Established after ${timeoutMs} ms: ${[...pending].join(
          ', ',
        )}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return names;
}

import type { Entity } from '@backstage/catalog-model';
import path from 'node:path';
import { OWNER } from './owner';

/** A catalog entity whose manifests live in `<repo>/<name>/deploy`. */
export function workloadEntity(
  repo: string,
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          repo,
          name,
          'catalog-info.yaml',
        )}`,
        'mlops/manifests': './deploy',
        ...annotations,
      },
    },
    spec: { type: 'model-server', owner: OWNER, lifecycle: 'experimental' },
  };
}

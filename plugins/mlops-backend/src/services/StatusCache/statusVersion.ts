import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { LiveObject } from './health';

/** Kinds whose status reports a running duration, so their body changes every second. */
export const CLOCK_DEPENDENT_KINDS = new Set([
  'PyTorchJob',
  'TrainJob',
  'RayJob',
]);

/**
 * Everything an entity's status body is computed from, as one string: when it is unchanged
 * the body is too. Live objects change resourceVersion on every write; a reconcile record
 * gets a new attempt time on every save; HPAs are those the entity's ScaledObjects name.
 */
export function statusVersion(input: {
  reconcile: MlopsReconcileStatus | null;
  objects: LiveObject[];
  cacheReady: boolean;
  /** The second the body is computed for, when a clock-dependent kind is present. */
  second?: number;
  hpaOf: (namespace: string, name: string) => LiveObject | undefined;
}): string {
  const { reconcile, objects } = input;
  const parts = [
    input.cacheReady ? 'ready' : 'listing',
    input.second === undefined ? '' : String(input.second),
    reconcile
      ? [
          reconcile.lastAttemptAt,
          reconcile.result,
          reconcile.revision ?? '',
          reconcile.driftCount,
          reconcile.objects.length,
        ].join('|')
      : 'no-record',
  ];
  for (const o of objects) {
    parts.push(`${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`);
    const hpaName = o.kind === 'ScaledObject' ? o.status?.hpaName : undefined;
    if (hpaName) {
      const hpa = input.hpaOf(o.metadata.namespace ?? '', hpaName);
      parts.push(`hpa/${hpaName}@${hpa?.metadata.resourceVersion ?? '-'}`);
    }
  }
  return parts.join('\n');
}

import type { ObjectKey } from './objectId';

/**
 * The stages a pass applies in, as flux's ReconcileOrder does: what pods mount, authenticate
 * with and are reached by; then the workloads; then what watches and scales the workloads. A
 * workload applied before its ConfigMap starts pods that fail to mount; a ScaledObject applied
 * before its Deployment makes KEDA report a missing target. Objects of one stage do not depend
 * on each other, so a stage is applied at once; prune runs the stages the other way.
 */
const STAGES: ReadonlyArray<ReadonlyArray<string>> = [
  ['ConfigMap', 'PersistentVolumeClaim', 'TriggerAuthentication', 'Service'],
  [
    'Deployment',
    'StatefulSet',
    'RayCluster',
    'RayJob',
    'RayService',
    'PyTorchJob',
    'TrainJob',
    'InferenceService',
  ],
  ['ServiceMonitor', 'PodMonitor', 'ScaledObject'],
];

/** Unlisted kinds are applied with the workloads. */
const WORKLOADS = 1;

export function stageOf(kind: string): number {
  const stage = STAGES.findIndex(kinds => kinds.includes(kind));
  return stage === -1 ? WORKLOADS : stage;
}

/** A copy in apply order: by stage, then in manifest order. */
export function inApplyOrder<T extends { key: ObjectKey }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        stageOf(a.item.key.kind) - stageOf(b.item.key.kind) ||
        a.index - b.index,
    )
    .map(({ item }) => item);
}

/** A copy in prune order: the reverse of apply order, so nothing outlives what it points at. */
export function inPruneOrder<T extends { key: ObjectKey }>(items: T[]): T[] {
  return inApplyOrder(items).reverse();
}

/** Items already in apply order, cut into their stages (empty stages left out). */
export function byStage<T>(items: T[], keyOf: (item: T) => ObjectKey): T[][] {
  const stages: T[][] = [];
  let current = -1;
  for (const item of items) {
    const stage = stageOf(keyOf(item).kind);
    if (stage !== current) {
      stages.push([]);
      current = stage;
    }
    stages[stages.length - 1].push(item);
  }
  return stages;
}

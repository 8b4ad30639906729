import type {
  MlopsEntityStatusResponse,
  MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  objectStatus,
  pytorchJobStatus,
  rayJobStatus,
  scaledObjectStatus,
  servingStatus,
  trainJobStatus,
  withHpa,
  type LiveObject,
} from './health';

function autoscalingOf(
  scaler: LiveObject,
  hpaOf: (namespace: string, name: string) => LiveObject | undefined,
) {
  const status = scaledObjectStatus(scaler);
  const hpa = status.hpaName
    ? hpaOf(scaler.metadata.namespace ?? '', status.hpaName)
    : undefined;
  return withHpa(status, hpa);
}

/** Pure: the status body of an entity from its cached live objects and reconcile record. */
export function entityStatus(
  entityRef: string,
  reconcile: MlopsReconcileStatus | null,
  objects: LiveObject[],
  cacheReady: boolean,
  now = Date.now(),
  hpaOf: (namespace: string, name: string) => LiveObject | undefined = () =>
    undefined,
): MlopsEntityStatusResponse {
  const sorted = [...objects].sort((a, b) =>
    `${a.kind}/${a.metadata.name}`.localeCompare(
      `${b.kind}/${b.metadata.name}`,
    ),
  );
  const first = (kind: string) => sorted.find(o => o.kind === kind);
  const job = first('PyTorchJob') ?? first('TrainJob') ?? first('RayJob');
  let training;
  if (job?.kind === 'PyTorchJob') training = pytorchJobStatus(job, now);
  else if (job?.kind === 'TrainJob') training = trainJobStatus(job, now);
  else if (job) training = rayJobStatus(job, now);
  const server = first('Deployment') ?? first('StatefulSet');
  const scaler = first('ScaledObject');
  return {
    entityRef,
    reconcile,
    cacheReady,
    objects: sorted.map(o => objectStatus(o, now)),
    ...(training ? { training } : {}),
    ...(server ? { serving: servingStatus(server) } : {}),
    ...(scaler ? { autoscaling: autoscalingOf(scaler, hpaOf) } : {}),
  };
}

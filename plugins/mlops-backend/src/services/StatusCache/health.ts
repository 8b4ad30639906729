import type {
  MlopsAutoscalingStatus,
  MlopsCondition,
  MlopsHealth,
  MlopsObjectStatus,
  MlopsServingStatus,
  MlopsTrainingStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/** A live object as JSON from the API server. */
export type LiveObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    generation?: number;
    resourceVersion?: string;
  };
  spec?: any;
  status?: any;
};

const conditionsOf = (o: LiveObject): MlopsCondition[] =>
  (Array.isArray(o.status?.conditions) ? o.status.conditions : []).map(
    (c: any) => ({
      type: String(c.type),
      status: String(c.status),
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime ?? c.lastUpdateTime,
    }),
  );

const isTrue = (conditions: MlopsCondition[], type: string) =>
  conditions.some(c => c.type === type && c.status === 'True');

function seconds(
  start?: string,
  end?: string,
  now = Date.now(),
): number | undefined {
  if (!start) return undefined;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  return Number.isFinite(from) && Number.isFinite(to)
    ? Math.max(0, Math.round((to - from) / 1000))
    : undefined;
}

/** PyTorchJob: the last condition with status True decides, as `kubectl get pytorchjob` shows it. */
export function pytorchJobStatus(
  o: LiveObject,
  now?: number,
): MlopsTrainingStatus {
  const conditions = conditionsOf(o);
  const last = [...conditions].reverse().find(c => c.status === 'True');
  const phase = last?.type ?? 'Pending';
  const byPhase: Record<string, MlopsHealth> = {
    Succeeded: 'healthy',
    Running: 'healthy',
    Failed: 'failed',
    Suspended: 'suspended',
    Restarting: 'degraded',
  };
  const health = byPhase[phase] ?? 'progressing';
  const replicas: MlopsTrainingStatus['replicas'] = {};
  for (const [type, s] of Object.entries<any>(
    o.status?.replicaStatuses ?? {},
  )) {
    replicas[type] = {
      active: s?.active ?? 0,
      succeeded: s?.succeeded ?? 0,
      failed: s?.failed ?? 0,
    };
  }
  return {
    kind: 'PyTorchJob',
    name: o.metadata.name,
    phase,
    health,
    conditions,
    replicas,
    startTime: o.status?.startTime,
    completionTime: o.status?.completionTime,
    durationSeconds: seconds(
      o.status?.startTime,
      o.status?.completionTime,
      now,
    ),
    restarts: conditions.filter(c => c.type === 'Restarting').length,
    cleanPodPolicy: o.spec?.runPolicy?.cleanPodPolicy,
  };
}

/** TrainJob (Trainer v2): conditions Complete / Failed / Suspended; running otherwise. */
export function trainJobStatus(
  o: LiveObject,
  now?: number,
): MlopsTrainingStatus {
  const conditions = conditionsOf(o);
  const phase =
    ['Failed', 'Complete', 'Suspended'].find(t => isTrue(conditions, t)) ??
    (conditions.length > 0 ? 'Running' : 'Pending');
  const byPhase: Record<string, MlopsHealth> = {
    Failed: 'failed',
    Suspended: 'suspended',
    Pending: 'progressing',
  };
  const health = byPhase[phase] ?? 'healthy';
  const replicas: MlopsTrainingStatus['replicas'] = {};
  for (const js of Array.isArray(o.status?.jobsStatus)
    ? o.status.jobsStatus
    : []) {
    replicas[js.name] = {
      active: js.active ?? 0,
      succeeded: js.succeeded ?? 0,
      failed: js.failed ?? 0,
    };
  }
  const completion = conditions.find(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  const created = (o.metadata as any).creationTimestamp as string | undefined;
  return {
    kind: 'TrainJob',
    name: o.metadata.name,
    phase,
    health,
    conditions,
    replicas,
    startTime: created,
    completionTime: completion?.lastTransitionTime,
    durationSeconds: seconds(created, completion?.lastTransitionTime, now),
    restarts: 0,
  };
}

function rayJobHealth(jobStatus: string, deployment: string): MlopsHealth {
  if (jobStatus === 'SUCCEEDED') return 'healthy';
  if (
    jobStatus === 'FAILED' ||
    deployment === 'Failed' ||
    deployment === 'ValidationFailed'
  )
    return 'failed';
  if (jobStatus === 'STOPPED' || deployment === 'Suspended') return 'suspended';
  if (deployment === 'Retrying') return 'degraded';
  if (jobStatus === 'RUNNING') return 'healthy';
  return 'progressing';
}

/** RayJob: jobStatus (Ray's view) when set, else jobDeploymentStatus (KubeRay's view). */
export function rayJobStatus(o: LiveObject, now?: number): MlopsTrainingStatus {
  const jobStatus: string = o.status?.jobStatus ?? '';
  const deployment: string = o.status?.jobDeploymentStatus ?? '';
  const phase = jobStatus || deployment || 'Pending';
  const health = rayJobHealth(jobStatus, deployment);
  return {
    kind: 'RayJob',
    name: o.metadata.name,
    phase,
    health,
    conditions: conditionsOf(o),
    replicas: {},
    startTime: o.status?.startTime,
    completionTime: o.status?.endTime,
    durationSeconds: seconds(o.status?.startTime, o.status?.endTime, now),
    // KubeRay counts the final, terminal failure in `failed` too; only the earlier ones were retries.
    restarts: Math.max(
      0,
      (o.status?.failed ?? 0) - (deployment === 'Failed' ? 1 : 0),
    ),
  };
}

/** Deployment / StatefulSet: available against desired; a rollout in progress is progressing. */
export function servingStatus(o: LiveObject): MlopsServingStatus {
  const desired = o.spec?.replicas ?? 1;
  const ready = o.status?.readyReplicas ?? 0;
  const available = o.status?.availableReplicas ?? ready;
  const updated = o.status?.updatedReplicas ?? 0;
  const observedCurrent =
    (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0);
  let health: MlopsHealth = 'degraded';
  if (desired === 0 || (available >= desired && observedCurrent))
    health = 'healthy';
  else if (available === 0) health = 'progressing';
  const containers: any[] = o.spec?.template?.spec?.containers ?? [];
  const images = containers.map(c => String(c.image ?? ''));
  let engine: MlopsServingStatus['engine'] = 'unknown';
  if (images.some(i => /vllm/i.test(i))) engine = 'vllm';
  else if (images.some(i => /triton/i.test(i))) engine = 'triton';
  return {
    kind: o.kind,
    name: o.metadata.name,
    desiredReplicas: desired,
    readyReplicas: ready,
    availableReplicas: available,
    updatedReplicas: updated,
    health,
    engine,
  };
}

/** KEDA ScaledObject: Ready decides; a Fallback in force is degraded; Paused is suspended. */
export function scaledObjectStatus(o: LiveObject): MlopsAutoscalingStatus {
  const conditions = conditionsOf(o);
  const pausedAnnotation =
    o.metadata.annotations?.['autoscaling.keda.sh/paused-replicas'] ??
    o.metadata.annotations?.['autoscaling.keda.sh/paused'];
  const paused = isTrue(conditions, 'Paused') || pausedAnnotation !== undefined;
  const ready = conditions.find(c => c.type === 'Ready');
  let health: MlopsHealth = 'progressing';
  if (paused) health = 'suspended';
  else if (ready?.status === 'False') health = 'failed';
  else if (isTrue(conditions, 'Fallback')) health = 'degraded';
  else if (ready?.status === 'True') health = 'healthy';
  const health_ = o.status?.health ?? {};
  const metricNames: string[] = o.status?.externalMetricNames ?? [];
  const triggers = (Array.isArray(o.spec?.triggers) ? o.spec.triggers : []).map(
    (t: any, i: number) => {
      const metricName = metricNames[i];
      return {
        name: t.name,
        type: String(t.type),
        metricName,
        query: t.metadata?.query,
        threshold: t.metadata?.threshold ?? t.metadata?.value,
        health: metricName ? health_[metricName]?.status : undefined,
      };
    },
  );
  return {
    name: o.metadata.name,
    health,
    minReplicas: o.spec?.minReplicaCount,
    maxReplicas: o.spec?.maxReplicaCount,
    cooldownSeconds: o.spec?.cooldownPeriod,
    pollingIntervalSeconds: o.spec?.pollingInterval,
    hpaName: o.status?.hpaName,
    paused,
    lastActiveTime: o.status?.lastActiveTime,
    conditions,
    triggers,
  };
}

/** RayCluster: state ready and HeadPodReady. */
function rayClusterHealth(o: LiveObject): [MlopsHealth, string] {
  const conditions = conditionsOf(o);
  if (
    o.status?.state === 'suspended' ||
    isTrue(conditions, 'RayClusterSuspended')
  )
    return ['suspended', 'suspended'];
  if (isTrue(conditions, 'ReplicaFailure'))
    return ['degraded', 'replica failure'];
  if (o.status?.state === 'ready' && isTrue(conditions, 'HeadPodReady')) {
    return [
      'healthy',
      `${o.status?.readyWorkerReplicas ?? 0}/${
        o.status?.desiredWorkerReplicas ?? 0
      } workers ready`,
    ];
  }
  return ['progressing', 'head pod not ready'];
}

/** The health of any allow-listed object, with a short reason. */
export function objectStatus(o: LiveObject, now?: number): MlopsObjectStatus {
  const base = {
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
  };
  switch (o.kind) {
    case 'PyTorchJob': {
      const s = pytorchJobStatus(o, now);
      return { ...base, health: s.health, reason: s.phase };
    }
    case 'TrainJob': {
      const s = trainJobStatus(o, now);
      return { ...base, health: s.health, reason: s.phase };
    }
    case 'RayJob': {
      // A RayJob has no conditions; KubeRay explains a failure in status.reason.
      const s = rayJobStatus(o, now);
      const why: string | undefined = o.status?.reason;
      return {
        ...base,
        health: s.health,
        reason: why ? `${s.phase}: ${why}` : s.phase,
      };
    }
    case 'RayCluster': {
      const [health, reason] = rayClusterHealth(o);
      return { ...base, health, reason };
    }
    case 'Deployment':
    case 'StatefulSet': {
      const s = servingStatus(o);
      return {
        ...base,
        health: s.health,
        reason: `${s.availableReplicas}/${s.desiredReplicas} replicas available`,
      };
    }
    case 'ScaledObject': {
      const s = scaledObjectStatus(o);
      const ready = s.conditions.find(c => c.type === 'Ready');
      return {
        ...base,
        health: s.health,
        reason:
          ready?.reason ?? (s.paused ? 'paused' : 'no Ready condition yet'),
      };
    }
    case 'PersistentVolumeClaim':
      return {
        ...base,
        health:
          ({ Bound: 'healthy', Lost: 'failed' } as Record<string, MlopsHealth>)[
            o.status?.phase
          ] ?? 'progressing',
        reason: o.status?.phase ?? 'Pending',
      };
    default:
      return { ...base, health: 'healthy', reason: 'exists' };
  }
}

/** Adds what KEDA's HPA knows: current/desired replicas and each trigger's current value. */
export function withHpa(
  status: MlopsAutoscalingStatus,
  hpa: LiveObject | undefined,
): MlopsAutoscalingStatus {
  if (!hpa?.status) return status;
  const values = new Map<string, string>();
  for (const m of Array.isArray(hpa.status.currentMetrics)
    ? hpa.status.currentMetrics
    : []) {
    const name = m?.external?.metric?.name;
    const current = m?.external?.current;
    const value = current?.value ?? current?.averageValue;
    if (name && value !== undefined) values.set(String(name), String(value));
  }
  return {
    ...status,
    currentReplicas: hpa.status.currentReplicas,
    desiredReplicas: hpa.status.desiredReplicas,
    lastScaleTime: hpa.status.lastScaleTime,
    triggers: status.triggers.map(t => {
      const currentValue = t.metricName ? values.get(t.metricName) : undefined;
      return currentValue === undefined ? t : { ...t, currentValue };
    }),
  };
}

import type { KubeClient, KubeObject } from './kubeClient';
import { objectPath } from './kubeClient';
import { RUN_DURATION_ANNOTATION, SIMULATE_FAILURE_LABEL } from './kwok';

/**
 * STAND-IN for the Kubeflow training-operator v1.9.4 (not the real operator): it creates the
 * pods and Services the operator would for a PyTorchJob, with the operator's labels and env,
 * and writes `.status` the way the operator does (Created → Running → Succeeded or Failed,
 * replicaStatuses, startTime, completionTime) under its own field manager. The pods are
 * fake (KWOK); a Stage of the sandbox ends them after `sandbox.mlops/run-duration`.
 * The job asks for a failure with the annotation `sandbox.mlops/simulate: failure`.
 */
export const PYTORCHJOB_FIELD_MANAGER =
  'mlops-sandbox-training-operator-standin';
export const SIMULATE_ANNOTATION = 'sandbox.mlops/simulate';

const API = 'kubeflow.org/v1';
const JOB_NAME = 'training.kubeflow.org/job-name';
const REPLICA_TYPE = 'training.kubeflow.org/replica-type';
const REPLICA_INDEX = 'training.kubeflow.org/replica-index';
const JOB_ROLE = 'training.kubeflow.org/job-role';
const OPERATOR_NAME = 'training.kubeflow.org/operator-name';
const DEFAULT_PORT = 23456;

type Condition = {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
};

type ReplicaCounts = { active: number; succeeded: number; failed: number };

export function podName(job: string, type: string, index: number): string {
  return `${job}-${type.toLowerCase()}-${index}`;
}

function replicaTypes(job: KubeObject): Array<[string, any]> {
  const specs = job.spec?.pytorchReplicaSpecs ?? {};
  // Master first, as the operator orders ranks.
  const rank = (t: string) => (t === 'Master' ? `0${t}` : `1${t}`);
  return Object.entries<any>(specs).sort(([a], [b]) =>
    rank(a).localeCompare(rank(b)),
  );
}

/** The pods the operator creates for a job: one per replica, with its labels and env. */
export function desiredPods(job: KubeObject): KubeObject[] {
  const name = job.metadata.name;
  const ns = job.metadata.namespace!;
  const types = replicaTypes(job);
  const worldSize = types.reduce((n, [, s]) => n + Number(s.replicas ?? 1), 0);
  const masterAddr = types.some(([t]) => t === 'Master')
    ? podName(name, 'Master', 0)
    : 'localhost';
  const fail = job.metadata.annotations?.[SIMULATE_ANNOTATION] === 'failure';
  const runFor = job.metadata.annotations?.[RUN_DURATION_ANNOTATION];
  const pods: KubeObject[] = [];
  let rank = 0;
  for (const [type, spec] of types) {
    for (let index = 0; index < Number(spec.replicas ?? 1); index++, rank++) {
      const template = spec.template ?? {};
      const podSpec = JSON.parse(JSON.stringify(template.spec ?? {}));
      podSpec.restartPolicy =
        spec.restartPolicy === 'ExitCode'
          ? 'Never'
          : spec.restartPolicy ?? 'Never';
      podSpec.hostname = podName(name, type, index);
      podSpec.subdomain = podSpec.subdomain ?? name;
      for (const c of podSpec.containers ?? []) {
        if (c.name !== 'pytorch') continue;
        const env = [
          { name: 'MASTER_PORT', value: String(DEFAULT_PORT) },
          { name: 'PET_MASTER_PORT', value: String(DEFAULT_PORT) },
          { name: 'MASTER_ADDR', value: masterAddr },
          { name: 'PET_MASTER_ADDR', value: masterAddr },
          { name: 'WORLD_SIZE', value: String(worldSize) },
          { name: 'RANK', value: String(rank) },
          { name: 'PET_NNODES', value: String(worldSize) },
          { name: 'PET_NODE_RANK', value: String(rank) },
          ...(job.spec?.nprocPerNode
            ? [
                {
                  name: 'PET_NPROC_PER_NODE',
                  value: String(job.spec.nprocPerNode),
                },
              ]
            : []),
          { name: 'PYTHONUNBUFFERED', value: '1' },
        ];
        const own = new Set(env.map(e => e.name));
        c.env = [...(c.env ?? []).filter((e: any) => !own.has(e.name)), ...env];
        c.ports = c.ports?.length
          ? c.ports
          : [{ name: 'pytorchjob-port', containerPort: DEFAULT_PORT }];
      }
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName(name, type, index),
          namespace: ns,
          labels: {
            ...(template.metadata?.labels ?? {}),
            [OPERATOR_NAME]: 'pytorchjob-controller',
            [JOB_NAME]: name,
            [REPLICA_TYPE]: type.toLowerCase(),
            [REPLICA_INDEX]: String(index),
            ...(type === 'Master' ? { [JOB_ROLE]: 'master' } : {}),
            ...(fail ? { [SIMULATE_FAILURE_LABEL]: 'true' } : {}),
          },
          annotations: {
            ...(template.metadata?.annotations ?? {}),
            ...(runFor ? { [RUN_DURATION_ANNOTATION]: runFor } : {}),
          },
          ownerReferences: [ownerRef(job)],
        } as any,
        spec: podSpec,
      });
    }
  }
  return pods;
}

function ownerRef(job: KubeObject) {
  return {
    apiVersion: API,
    kind: 'PyTorchJob',
    name: job.metadata.name,
    uid: job.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function headlessService(job: KubeObject, pod: KubeObject): KubeObject {
  const l = pod.metadata.labels!;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      labels: {
        [OPERATOR_NAME]: 'pytorchjob-controller',
        [JOB_NAME]: l[JOB_NAME],
        [REPLICA_TYPE]: l[REPLICA_TYPE],
        [REPLICA_INDEX]: l[REPLICA_INDEX],
      },
      ownerReferences: [ownerRef(job)],
    } as any,
    spec: {
      clusterIP: 'None',
      selector: {
        [JOB_NAME]: l[JOB_NAME],
        [REPLICA_TYPE]: l[REPLICA_TYPE],
        [REPLICA_INDEX]: l[REPLICA_INDEX],
      },
      ports: [{ name: 'pytorchjob-port', port: DEFAULT_PORT }],
    },
  };
}

/** Adds or updates a condition as the operator's `UpdateJobConditions` does. */
export function setCondition(
  conditions: Condition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: string,
): Condition[] {
  const existing = conditions.find(c => c.type === type);
  if (existing && existing.status === status && existing.reason === reason) {
    return conditions;
  }
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastUpdateTime: now,
    lastTransitionTime:
      existing && existing.status === status
        ? existing.lastTransitionTime
        : now,
  };
  let rest = conditions.filter(c => c.type !== type);
  // A finished job is no longer Running (the operator flips it to False).
  if ((type === 'Succeeded' || type === 'Failed') && status === 'True') {
    rest = rest.map(c =>
      c.type === 'Running' && c.status === 'True'
        ? {
            ...c,
            status: 'False',
            lastUpdateTime: now,
            lastTransitionTime: now,
          }
        : c,
    );
  }
  return [...rest, next];
}

function counts(pods: KubeObject[]): ReplicaCounts {
  const c = { active: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded') c.succeeded++;
    else if (phase === 'Failed') c.failed++;
    else if (phase === 'Running' || phase === 'Pending') c.active++;
  }
  return c;
}

/** The status the operator would write for a job and its pods. */
export function nextStatus(
  job: KubeObject,
  pods: KubeObject[],
  now: string,
): any {
  const ns = job.metadata.namespace;
  const name = job.metadata.name;
  const status = job.status ?? {};
  let conditions: Condition[] = status.conditions ?? [];
  conditions = setCondition(
    conditions,
    'Created',
    'True',
    'PyTorchJobCreated',
    `PyTorchJob ${name} is created.`,
    now,
  );
  const replicaStatuses: Record<string, ReplicaCounts & { selector?: string }> =
    {};
  for (const [type, spec] of replicaTypes(job)) {
    const typePods = pods.filter(
      p => p.metadata.labels?.[REPLICA_TYPE] === type.toLowerCase(),
    );
    replicaStatuses[type] = {
      ...counts(typePods),
      selector: `${OPERATOR_NAME}=pytorchjob-controller,${JOB_NAME}=${name},${REPLICA_TYPE}=${type.toLowerCase()}`,
    };
    void spec;
  }
  const finished = conditions.some(
    c => (c.type === 'Succeeded' || c.type === 'Failed') && c.status === 'True',
  );
  const expected = replicaTypes(job).reduce(
    (n, [, s]) => n + Number(s.replicas ?? 1),
    0,
  );
  const running = pods.filter(p => p.status?.phase === 'Running').length;
  const master = replicaStatuses.Master;
  const failedType = Object.entries(replicaStatuses).find(
    ([, r]) => r.failed > 0,
  );
  let completionTime = status.completionTime;
  if (!finished) {
    if (failedType) {
      conditions = setCondition(
        conditions,
        'Failed',
        'True',
        'PyTorchJobFailed',
        `PyTorchJob ${ns}/${name} has failed because ${failedType[1].failed} ${failedType[0]} replica(s) failed.`,
        now,
      );
      completionTime = now;
    } else if (
      master
        ? master.succeeded > 0 && master.active === 0
        : pods.length > 0 && pods.every(p => p.status?.phase === 'Succeeded')
    ) {
      conditions = setCondition(
        conditions,
        'Succeeded',
        'True',
        'PyTorchJobSucceeded',
        `PyTorchJob ${ns}/${name} successfully completed.`,
        now,
      );
      completionTime = now;
    } else if (pods.length === expected && running === expected) {
      conditions = setCondition(
        conditions,
        'Running',
        'True',
        'PyTorchJobRunning',
        `PyTorchJob ${ns}/${name} is running.`,
        now,
      );
    }
  }
  return {
    conditions,
    replicaStatuses,
    startTime: status.startTime ?? now,
    ...(completionTime ? { completionTime } : {}),
    lastReconcileTime: now,
  };
}

function sameStatus(a: any, b: any): boolean {
  const strip = (s: any) =>
    JSON.stringify({ ...s, lastReconcileTime: undefined });
  return strip(a ?? {}) === strip(b ?? {});
}

/** One pass over every PyTorchJob: create missing pods and Services, then write status. */
export async function reconcilePyTorchJobs(client: KubeClient): Promise<void> {
  const jobs = await client.list(`/apis/${API}/pytorchjobs`);
  for (const job of jobs) {
    if (job.metadata.deletionTimestamp || job.spec?.runPolicy?.suspend)
      continue;
    const ns = job.metadata.namespace!;
    const name = job.metadata.name;
    const pods = (
      await client.list(
        `${objectPath('v1', 'pods', ns)}?labelSelector=${encodeURIComponent(
          `${JOB_NAME}=${name}`,
        )}`,
      )
    ).filter(p =>
      p.metadata.ownerReferences?.some(o => o.uid === job.metadata.uid),
    );
    const finished = (job.status?.conditions ?? []).some(
      (c: any) =>
        (c.type === 'Succeeded' || c.type === 'Failed') && c.status === 'True',
    );
    if (!finished) {
      for (const pod of desiredPods(job)) {
        if (pods.some(p => p.metadata.name === pod.metadata.name)) continue;
        await client.create(
          objectPath('v1', 'pods', ns),
          pod,
          PYTORCHJOB_FIELD_MANAGER,
        );
        await client.create(
          objectPath('v1', 'services', ns),
          headlessService(job, pod),
          PYTORCHJOB_FIELD_MANAGER,
        );
      }
    }
    const status = nextStatus(
      job,
      pods,
      new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    );
    if (sameStatus(status, job.status)) continue;
    await client.applyStatus(
      objectPath(API, 'pytorchjobs', ns, name),
      {
        apiVersion: API,
        kind: 'PyTorchJob',
        metadata: { name, namespace: ns },
        status,
      },
      PYTORCHJOB_FIELD_MANAGER,
    );
  }
}

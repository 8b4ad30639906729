import type { KubeClient, KubeObject } from './kubeClient';
import { objectPath } from './kubeClient';
import { queryPrometheus } from './prometheus';

/**
 * STAND-IN for the KEDA v2.20 operator (not the real one): for each ScaledObject it creates
 * the HPA KEDA would (`keda-hpa-<name>`, external metrics `s<i>-prometheus`), runs each
 * prometheus trigger's own PromQL query against the sandbox Prometheus (the trigger's
 * serverAddress is a cluster DNS name that does not resolve here), scales the target by
 * KEDA's rule — max over triggers of ceil(metric / threshold), clamped to [min, max], with
 * the HPA's stabilization windows — and writes `.status` (conditions Ready / Active /
 * Fallback, hpaName, health, externalMetricNames …) and the HPA's status, with its own field
 * manager. The cluster's HPA controller is off: nothing else serves external metrics.
 */
export const KEDA_FIELD_MANAGER = 'mlops-sandbox-keda-standin';
const API = 'keda.sh/v1alpha1';

type Condition = {
  type: string;
  status: string;
  reason: string;
  message: string;
};

interface TriggerResult {
  metricName: string;
  value?: number;
  threshold: number;
  activationThreshold: number;
  error?: string;
}

interface Memory {
  lastPoll: number;
  failures: Record<string, number>;
  history: Array<{ at: number; desired: number }>;
  lastActiveTime?: string;
  originalReplicaCount?: number;
}

/** KEDA's replica rule for AverageValue metrics: ceil(metric / threshold), max over triggers. */
export function kedaDesiredReplicas(
  results: Array<{ value?: number; threshold: number }>,
  min: number,
  max: number,
): number {
  let desired = 0;
  for (const r of results) {
    if (r.value === undefined || !(r.threshold > 0)) continue;
    desired = Math.max(desired, Math.ceil(r.value / r.threshold));
  }
  return Math.min(max, Math.max(min, desired));
}

/** The HPA's stabilization: scale up to the lowest, down to the highest recent recommendation. */
export function stabilize(
  current: number,
  history: Array<{ at: number; desired: number }>,
  now: number,
  upWindowMs: number,
  downWindowMs: number,
): number {
  const latest = history[history.length - 1]?.desired ?? current;
  const recent = (windowMs: number) => {
    const inWindow = history.filter(h => now - h.at <= windowMs);
    return inWindow.length ? inWindow.map(h => h.desired) : [latest];
  };
  if (latest > current) {
    return Math.max(current, Math.min(...recent(upWindowMs)));
  }
  if (latest < current) {
    return Math.min(current, Math.max(...recent(downWindowMs)));
  }
  return current;
}

const quantity = (v: number) => `${Math.round(v * 1000)}m`;

function condition(
  type: string,
  status: boolean,
  reason: string,
  message: string,
): Condition {
  return { type, status: status ? 'True' : 'False', reason, message };
}

export class ScaledObjectStandIn {
  private readonly memory = new Map<string, Memory>();

  constructor(
    private readonly client: KubeClient,
    private readonly prometheusUrl: string,
  ) {}

  async reconcileAll(): Promise<void> {
    const objects = await this.client.list(`/apis/${API}/scaledobjects`);
    const seen = new Set<string>();
    for (const so of objects) {
      const key = `${so.metadata.namespace}/${so.metadata.name}`;
      seen.add(key);
      if (so.metadata.deletionTimestamp) continue;
      const mem = this.memory.get(key) ?? {
        lastPoll: 0,
        failures: {},
        history: [],
      };
      this.memory.set(key, mem);
      const interval = Number(so.spec?.pollingInterval ?? 30) * 1000;
      if (so.status?.hpaName && Date.now() - mem.lastPoll < interval) continue;
      mem.lastPoll = Date.now();
      await this.reconcile(so, mem);
    }
    for (const key of this.memory.keys())
      if (!seen.has(key)) this.memory.delete(key);
  }

  private async evaluate(
    so: KubeObject,
    mem: Memory,
  ): Promise<TriggerResult[]> {
    const triggers: any[] = so.spec?.triggers ?? [];
    const results: TriggerResult[] = [];
    for (const [i, t] of triggers.entries()) {
      const md = t.metadata ?? {};
      const metricName = `s${i}-${t.type}`;
      const r: TriggerResult = {
        metricName,
        threshold: Number(md.threshold ?? 0),
        activationThreshold: Number(md.activationThreshold ?? 0),
      };
      if (t.type !== 'prometheus') {
        r.error = `trigger type ${t.type} is not simulated by the sandbox`;
      } else {
        try {
          const samples = await queryPrometheus(this.prometheusUrl, md.query);
          if (samples.length === 0 && md.ignoreNullValues === 'false') {
            throw new Error('prometheus query returned no value');
          }
          r.value = samples.length ? samples[0].value : 0;
          if (!Number.isFinite(r.value)) r.value = 0;
        } catch (e) {
          r.error = e instanceof Error ? e.message : String(e);
        }
      }
      mem.failures[metricName] = r.error
        ? (mem.failures[metricName] ?? 0) + 1
        : 0;
      results.push(r);
    }
    return results;
  }

  private async reconcile(so: KubeObject, mem: Memory): Promise<void> {
    const ns = so.metadata.namespace!;
    const name = so.metadata.name;
    const ref = so.spec?.scaleTargetRef ?? {};
    const apiVersion: string = ref.apiVersion ?? 'apps/v1';
    const kind: string = ref.kind ?? 'Deployment';
    const plural = `${kind.toLowerCase()}s`;
    const targetPath = objectPath(apiVersion, plural, ns, ref.name);
    const target = ref.name ? await this.client.get(targetPath) : undefined;
    const min = Number(so.spec?.minReplicaCount ?? 0);
    const max = Number(so.spec?.maxReplicaCount ?? 100);
    const hpaName = `keda-hpa-${name}`;
    const now = new Date();
    const nowIso = now.toISOString().replace(/\.\d+Z$/, 'Z');

    if (!target) {
      await this.writeStatus(so, {
        conditions: [
          condition(
            'Ready',
            false,
            'ScaledObjectCheckFailed',
            "ScaledObject doesn't have correct scaleTargetRef specification",
          ),
          condition(
            'Active',
            false,
            'ScalerNotActive',
            'Scaling is not performed because triggers are not active',
          ),
          condition(
            'Fallback',
            false,
            'NoFallbackFound',
            'No fallbacks are active on this scaled object',
          ),
        ],
      });
      return;
    }

    const results = await this.evaluate(so, mem);
    const active = results.some(
      r => r.value !== undefined && r.value > r.activationThreshold,
    );
    if (active) mem.lastActiveTime = nowIso;
    const current = Number(target.spec?.replicas ?? 1);
    mem.originalReplicaCount ??= current;

    const fallback = so.spec?.fallback;
    const fallingBack =
      fallback &&
      results.some(
        r =>
          (mem.failures[r.metricName] ?? 0) > Number(fallback.failureThreshold),
      );
    const paused =
      so.metadata.annotations?.['autoscaling.keda.sh/paused-replicas'];

    let desired = kedaDesiredReplicas(results, Math.max(min, 1), max);
    if (fallingBack) desired = Number(fallback.replicas);
    if (!active && min === 0) {
      const cooldown = Number(so.spec?.cooldownPeriod ?? 300) * 1000;
      const idleSince = mem.lastActiveTime ? Date.parse(mem.lastActiveTime) : 0;
      if (now.getTime() - idleSince > cooldown) {
        desired = Number(so.spec?.idleReplicaCount ?? 0);
      }
    }
    mem.history.push({ at: now.getTime(), desired });
    const behavior =
      so.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
    const upMs =
      Number(behavior.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000;
    const downMs =
      Number(behavior.scaleDown?.stabilizationWindowSeconds ?? 300) * 1000;
    mem.history = mem.history.filter(
      h => now.getTime() - h.at <= Math.max(upMs, downMs, 1000),
    );
    let replicas = stabilize(current, mem.history, now.getTime(), upMs, downMs);
    if (paused !== undefined) replicas = Number(paused);

    if (replicas !== current) {
      await this.client.mergePatch(
        `${targetPath}/scale`,
        { spec: { replicas } },
        KEDA_FIELD_MANAGER,
      );
    }
    await this.applyHpa(
      so,
      hpaName,
      { apiVersion, kind, name: ref.name },
      min,
      max,
      results,
      current,
      replicas,
      behavior,
    );

    const conditions = [
      condition(
        'Ready',
        true,
        'ScaledObjectReady',
        'ScaledObject is defined correctly and is ready for scaling',
      ),
      active
        ? condition(
            'Active',
            true,
            'ScalerActive',
            'Scaling is performed because triggers are active',
          )
        : condition(
            'Active',
            false,
            'ScalerNotActive',
            'Scaling is not performed because triggers are not active',
          ),
      fallingBack
        ? condition(
            'Fallback',
            true,
            'FallbackExists',
            'At least one trigger is falling back on this scaled object',
          )
        : condition(
            'Fallback',
            false,
            'NoFallbackFound',
            'No fallbacks are active on this scaled object',
          ),
      ...(paused !== undefined
        ? [
            condition(
              'Paused',
              true,
              'ScaledObjectPaused',
              'ScaledObject is paused',
            ),
          ]
        : []),
    ];
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    await this.writeStatus(so, {
      conditions,
      hpaName,
      originalReplicaCount: mem.originalReplicaCount,
      ...(paused !== undefined ? { pausedReplicaCount: Number(paused) } : {}),
      scaleTargetKind: `${apiVersion}.${kind}`,
      scaleTargetGVKR: { group, version, kind, resource: plural },
      externalMetricNames: results.map(r => r.metricName),
      triggersTypes: [
        ...new Set((so.spec?.triggers ?? []).map((t: any) => t.type)),
      ].join(','),
      triggersActivity: Object.fromEntries(
        results.map((r, i) => [
          so.spec.triggers[i].name ?? r.metricName,
          {
            isActive: r.value !== undefined && r.value > r.activationThreshold,
          },
        ]),
      ),
      health: Object.fromEntries(
        results.map(r => [
          r.metricName,
          {
            numberOfFailures: mem.failures[r.metricName] ?? 0,
            status: r.error ? 'Failing' : 'Happy',
          },
        ]),
      ),
      ...(mem.lastActiveTime ? { lastActiveTime: mem.lastActiveTime } : {}),
    });
  }

  private async writeStatus(so: KubeObject, status: any) {
    await this.client.applyStatus(
      objectPath(API, 'scaledobjects', so.metadata.namespace, so.metadata.name),
      {
        apiVersion: API,
        kind: 'ScaledObject',
        metadata: { name: so.metadata.name, namespace: so.metadata.namespace },
        status,
      },
      KEDA_FIELD_MANAGER,
    );
  }

  private async applyHpa(
    so: KubeObject,
    hpaName: string,
    target: { apiVersion: string; kind: string; name: string },
    min: number,
    max: number,
    results: TriggerResult[],
    current: number,
    desired: number,
    behavior: any,
  ) {
    const ns = so.metadata.namespace!;
    const selector = {
      matchLabels: { 'scaledobject.keda.sh/name': so.metadata.name },
    };
    const path = objectPath(
      'autoscaling/v2',
      'horizontalpodautoscalers',
      ns,
      hpaName,
    );
    await this.client.apply(
      path,
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: {
          name: hpaName,
          namespace: ns,
          labels: {
            ...(so.metadata.labels ?? {}),
            'app.kubernetes.io/managed-by': 'keda-operator',
            'app.kubernetes.io/name': hpaName,
            'app.kubernetes.io/part-of': so.metadata.name,
            'scaledobject.keda.sh/name': so.metadata.name,
          },
          ownerReferences: [
            {
              apiVersion: API,
              kind: 'ScaledObject',
              name: so.metadata.name,
              uid: so.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          scaleTargetRef: target,
          minReplicas: Math.max(min, 1),
          maxReplicas: max,
          metrics: results.map(r => ({
            type: 'External',
            external: {
              metric: { name: r.metricName, selector },
              target: {
                type: 'AverageValue',
                averageValue: quantity(r.threshold),
              },
            },
          })),
          ...(Object.keys(behavior).length ? { behavior } : {}),
        },
      },
      KEDA_FIELD_MANAGER,
    );
    const ok = results.every(r => !r.error);
    const limited = desired >= max || desired <= Math.max(min, 1);
    let limitedReason = 'DesiredWithinRange';
    if (limited) {
      limitedReason = desired >= max ? 'TooManyReplicas' : 'TooFewReplicas';
    }
    await this.client.applyStatus(
      path,
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: hpaName, namespace: ns },
        status: {
          currentReplicas: current,
          desiredReplicas: desired,
          currentMetrics: results
            .filter(r => r.value !== undefined)
            .map(r => ({
              type: 'External',
              external: {
                metric: { name: r.metricName, selector },
                current: {
                  averageValue: quantity(r.value! / Math.max(current, 1)),
                },
              },
            })),
          conditions: [
            {
              type: 'AbleToScale',
              status: 'True',
              reason:
                desired !== current ? 'SucceededRescale' : 'ReadyForNewScale',
              message: 'recommended size matches current size',
              lastTransitionTime: new Date()
                .toISOString()
                .replace(/\.\d+Z$/, 'Z'),
            },
            {
              type: 'ScalingActive',
              status: ok ? 'True' : 'False',
              reason: ok ? 'ValidMetricFound' : 'FailedGetExternalMetric',
              message: ok
                ? 'the HPA was able to successfully calculate a replica count from external metric'
                : 'the HPA was unable to compute the replica count',
              lastTransitionTime: new Date()
                .toISOString()
                .replace(/\.\d+Z$/, 'Z'),
            },
            {
              type: 'ScalingLimited',
              status: limited ? 'True' : 'False',
              reason: limitedReason,
              message: limited
                ? 'the desired replica count is at the edge of the allowed range'
                : 'the desired count is within the acceptable range',
              lastTransitionTime: new Date()
                .toISOString()
                .replace(/\.\d+Z$/, 'Z'),
            },
          ],
          ...(desired !== current
            ? {
                lastScaleTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
              }
            : {}),
        },
      },
      KEDA_FIELD_MANAGER,
    );
  }
}

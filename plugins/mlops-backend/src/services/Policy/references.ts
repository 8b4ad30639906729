import {
  apiGroupOf,
  formatManifestProblem,
  kindToken,
  quoteToken,
  type LocatedManifest,
  type ManifestObject,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { forEachPodSpec, isObj, podTemplates } from './podSpecs';

/**
 * References that must stay inside the entity: every object a manifest points at as its target
 * (what a ScaledObject scales, the TriggerAuthentication it uses, the PVC a PVC clones, the pods
 * a Service, PodMonitor or ServiceMonitor selects, the RayCluster a RayJob runs on) must be an
 * object of the same entity's manifests. Otherwise one entity could scale, read or route to
 * another's workload in a shared namespace.
 */

type Labels = Record<string, string>;

interface ManifestIndex {
  has(group: string, kind: string, name: string): boolean;
  podTemplateLabels: Labels[];
  serviceLabels: Labels[];
  rayClusterLabels: Labels[];
}

function indexManifests(manifests: LocatedManifest[]): ManifestIndex {
  const keys = new Set(
    manifests.map(
      ({ object }) =>
        `${apiGroupOf(object.apiVersion)}/${object.kind}/${
          object.metadata.name
        }`,
    ),
  );
  const labelsOf = (o: ManifestObject): Labels =>
    isObj(o.metadata.labels) ? (o.metadata.labels as Labels) : {};
  return {
    has: (group, kind, name) => keys.has(`${group}/${kind}/${name}`),
    podTemplateLabels: manifests.flatMap(({ object }) =>
      podTemplates(object).map(t => t.labels),
    ),
    serviceLabels: manifests
      .filter(m => m.object.kind === 'Service')
      .map(m => labelsOf(m.object)),
    rayClusterLabels: manifests
      .filter(m => m.object.kind === 'RayCluster')
      .map(m => labelsOf(m.object)),
  };
}

const matches = (selector: Labels, labels: Labels) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A label selector (plain map or `matchLabels`) that selects one of `candidates`. */
function checkSelector(
  selector: unknown,
  candidates: Labels[],
  where: string,
  what: string,
  out: string[],
) {
  const matchLabels = isObj(selector) ? selector : undefined;
  if (
    !matchLabels ||
    Object.keys(matchLabels).length === 0 ||
    Object.values(matchLabels).some(v => typeof v !== 'string')
  ) {
    out.push(
      `${where} must name labels (matchLabels) of ${what} in this entity's manifests`,
    );
    return;
  }
  if (!candidates.some(labels => matches(matchLabels as Labels, labels))) {
    out.push(
      `${where} selects no ${what} of this entity's manifests; it may select only the entity's own`,
    );
  }
}

function checkTarget(
  index: ManifestIndex,
  ref: unknown,
  defaults: { apiVersion: string; kind: string },
  where: string,
  out: string[],
) {
  if (!isObj(ref) || typeof ref.name !== 'string') {
    out.push(`${where}.name is missing`);
    return;
  }
  const apiVersion =
    typeof ref.apiVersion === 'string' ? ref.apiVersion : defaults.apiVersion;
  const kind = typeof ref.kind === 'string' ? ref.kind : defaults.kind;
  if (!index.has(apiGroupOf(apiVersion), kind, ref.name)) {
    out.push(
      `${where} names ${kindToken(kind)} ${quoteToken(
        ref.name,
      )}, which is not in this entity's manifests; it may point only at the entity's own objects`,
    );
  }
}

function scaledObjectViolations(
  object: ManifestObject,
  index: ManifestIndex,
  out: string[],
) {
  const spec = isObj(object.spec) ? object.spec : {};
  checkTarget(
    index,
    spec.scaleTargetRef,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    '.spec.scaleTargetRef',
    out,
  );
  if (object.kind !== 'ScaledObject') return;
  (Array.isArray(spec.triggers) ? spec.triggers : []).forEach(
    (trigger: unknown, i: number) => {
      const ref = isObj(trigger) ? trigger.authenticationRef : undefined;
      if (ref === undefined) return;
      const where = `.spec.triggers[${i}].authenticationRef`;
      if (isObj(ref) && ref.kind === 'ClusterTriggerAuthentication') {
        out.push(
          `${where} uses a ClusterTriggerAuthentication, the platform's cluster-wide credentials; use a TriggerAuthentication of this entity`,
        );
        return;
      }
      checkTarget(
        index,
        ref,
        { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication' },
        where,
        out,
      );
    },
  );
}

/** Sources of credentials a TriggerAuthentication may use: the namespace's Secrets, env, ConfigMaps. */
const TRIGGER_AUTH_ALLOWED = new Set([
  'secretTargetRef',
  'env',
  'configMapTargetRef',
]);

function triggerAuthenticationViolations(
  object: ManifestObject,
  out: string[],
) {
  const spec = isObj(object.spec) ? object.spec : {};
  for (const key of Object.keys(spec)) {
    if (key === 'podIdentity') {
      const provider = isObj(spec.podIdentity)
        ? spec.podIdentity.provider
        : undefined;
      if (provider !== undefined && provider !== 'none') {
        out.push(
          `.spec.podIdentity.provider is ${quoteToken(
            provider,
          )}: KEDA would act with a cloud identity the policy did not grant; use secretTargetRef`,
        );
      }
    } else if (!TRIGGER_AUTH_ALLOWED.has(key)) {
      out.push(
        `.spec has ${quoteToken(
          key,
        )}, which reads credentials through KEDA's own identity (vaults, secret managers, bound tokens); use secretTargetRef, env or configMapTargetRef`,
      );
    }
  }
}

function claimViolations(
  object: ManifestObject,
  index: ManifestIndex,
  out: string[],
) {
  const spec = isObj(object.spec) ? object.spec : {};
  for (const field of ['dataSource', 'dataSourceRef']) {
    const ref = spec[field];
    if (ref === undefined) continue;
    const where = `.spec.${field}`;
    if (isObj(ref) && ref.namespace !== undefined) {
      out.push(
        `${where}.namespace is set; a volume may not be filled from another namespace`,
      );
      continue;
    }
    const kind = isObj(ref) ? ref.kind : undefined;
    const group =
      isObj(ref) && typeof ref.apiGroup === 'string' ? ref.apiGroup : '';
    if (kind !== 'PersistentVolumeClaim' || group !== '') {
      out.push(
        `${where} names ${kindToken(
          kind,
        )}, which cannot be in this entity's manifests; a volume may be cloned only from the entity's own PersistentVolumeClaim`,
      );
      continue;
    }
    checkTarget(
      index,
      ref,
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
      where,
      out,
    );
  }
}

function monitorViolations(
  object: ManifestObject,
  namespace: string,
  index: ManifestIndex,
  out: string[],
) {
  const spec = isObj(object.spec) ? object.spec : {};
  const ns = spec.namespaceSelector;
  if (
    ns !== undefined &&
    !(
      isObj(ns) &&
      ns.any !== true &&
      Array.isArray(ns.matchNames) &&
      ns.matchNames.every((n: unknown) => n === namespace)
    )
  ) {
    out.push(
      `.spec.namespaceSelector reaches beyond the entity's namespace "${namespace}"`,
    );
  }
  const selector = isObj(spec.selector) ? spec.selector.matchLabels : undefined;
  checkSelector(
    selector,
    object.kind === 'PodMonitor'
      ? index.podTemplateLabels
      : index.serviceLabels,
    '.spec.selector.matchLabels',
    object.kind === 'PodMonitor' ? 'pod template' : 'Service',
    out,
  );
}

function objectViolations(
  object: ManifestObject,
  namespace: string,
  index: ManifestIndex,
): string[] {
  const out: string[] = [];
  const group = apiGroupOf(object.apiVersion);
  if (
    (group === 'keda.sh' && object.kind === 'ScaledObject') ||
    (group === 'autoscaling' && object.kind === 'HorizontalPodAutoscaler')
  ) {
    scaledObjectViolations(object, index, out);
  } else if (group === 'keda.sh' && object.kind === 'TriggerAuthentication') {
    triggerAuthenticationViolations(object, out);
  } else if (group === '' && object.kind === 'PersistentVolumeClaim') {
    claimViolations(object, index, out);
  } else if (group === '' && object.kind === 'Service') {
    const selector = isObj(object.spec) ? object.spec.selector : undefined;
    // A Service without a selector routes to nothing: EndpointSlices are not an allowed kind.
    if (selector !== undefined) {
      checkSelector(
        selector,
        index.podTemplateLabels,
        '.spec.selector',
        'pod template',
        out,
      );
    }
  } else if (
    group === 'monitoring.coreos.com' &&
    (object.kind === 'PodMonitor' || object.kind === 'ServiceMonitor')
  ) {
    monitorViolations(object, namespace, index, out);
  } else if (group === 'ray.io' && object.kind === 'RayJob') {
    const selector = isObj(object.spec)
      ? object.spec.clusterSelector
      : undefined;
    if (selector !== undefined) {
      checkSelector(
        selector,
        index.rayClusterLabels,
        '.spec.clusterSelector',
        'RayCluster',
        out,
      );
    }
  }
  return out;
}

/** Every reference of the manifests that leaves the entity, one message per reference. */
export function referenceViolations(
  manifests: LocatedManifest[],
  namespace: string,
): string[] {
  const index = indexManifests(manifests);
  return manifests.flatMap(({ file, document, object }) =>
    objectViolations(object, namespace, index).map(message =>
      formatManifestProblem({
        file,
        document,
        message: `${kindToken(object.kind)} ${quoteToken(
          object.metadata.name,
        )} ${message.replace(/^\./, '')}`,
      }),
    ),
  );
}

/** An object a pod mounts or reads by name, which may be the platform's (not the entity's). */
export interface NamedReference {
  kind: 'PersistentVolumeClaim' | 'ConfigMap';
  name: string;
  path: string;
}

/**
 * ConfigMaps and PVCs that pod specs use by name. They may be shared objects the platform team
 * made (a checkpoint volume, a CA bundle), so they need not be in the manifests; but one that
 * another entity owns is refused when the pass sees it live.
 */
export function namedReferences(object: unknown): NamedReference[] {
  const refs: NamedReference[] = [];
  const add = (kind: NamedReference['kind'], name: unknown, path: string) => {
    if (typeof name === 'string') refs.push({ kind, name, path });
  };
  forEachPodSpec(object, (spec, at) => {
    const base = at === '.' ? '' : at;
    (Array.isArray(spec.volumes) ? spec.volumes : []).forEach(
      (v: unknown, i: number) => {
        if (!isObj(v)) return;
        add(
          'PersistentVolumeClaim',
          v.persistentVolumeClaim?.claimName,
          `${base}.volumes[${i}]`,
        );
        add('ConfigMap', v.configMap?.name, `${base}.volumes[${i}]`);
        (Array.isArray(v.projected?.sources)
          ? v.projected.sources
          : []
        ).forEach(
          (s: unknown, j: number) =>
            isObj(s) &&
            add(
              'ConfigMap',
              s.configMap?.name,
              `${base}.volumes[${i}].projected.sources[${j}]`,
            ),
        );
      },
    );
    for (const list of ['containers', 'initContainers']) {
      (Array.isArray(spec[list]) ? spec[list] : []).forEach(
        (c: unknown, i: number) => {
          if (!isObj(c)) return;
          const cw = `${base}.${list}[${i}]`;
          (Array.isArray(c.envFrom) ? c.envFrom : []).forEach(
            (e: unknown, j: number) =>
              isObj(e) &&
              add('ConfigMap', e.configMapRef?.name, `${cw}.envFrom[${j}]`),
          );
          (Array.isArray(c.env) ? c.env : []).forEach(
            (e: unknown, j: number) =>
              isObj(e) &&
              add(
                'ConfigMap',
                e.valueFrom?.configMapKeyRef?.name,
                `${cw}.env[${j}]`,
              ),
          );
        },
      );
    }
  });
  return refs;
}

type Obj = Record<string, any>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const CONTAINER_LISTS = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers',
]);

/**
 * Calls `visit` for every pod spec in an object, found by shape (a mapping with a `containers`
 * list) at any depth, so Deployments, PyTorchJob replicas, Ray groups, TrainJob overrides and
 * InferenceService predictors are covered alike. `path` is where the spec sits, e.g.
 * `.spec.template.spec`.
 */
export function forEachPodSpec(
  object: unknown,
  visit: (spec: Obj, path: string) => void,
): void {
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (!isObj(value)) return;
    if (Array.isArray(value.containers)) visit(value, path || '.');
    for (const [k, v] of Object.entries(value)) {
      if (!CONTAINER_LISTS.has(k)) walk(v, `${path}.${k}`);
    }
  };
  walk(object, '');
}

/** Every value under a key of this name at any depth, with its path. */
export function valuesAtKey(
  object: unknown,
  key: string,
): Array<{ value: unknown; path: string }> {
  const found: Array<{ value: unknown; path: string }> = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (!isObj(value)) return;
    for (const [k, v] of Object.entries(value)) {
      if (k === key) found.push({ value: v, path: `${path}.${k}` });
      walk(v, `${path}.${k}`);
    }
  };
  walk(object, '');
  return found;
}

/** Pod templates (`template: {metadata, spec: {containers}}`) at any depth, with their labels. */
export function podTemplates(
  object: unknown,
): Array<{ labels: Record<string, string>; path: string }> {
  return valuesAtKey(object, 'template')
    .filter(
      ({ value }) => isObj(value) && Array.isArray(value.spec?.containers),
    )
    .map(({ value, path }) => ({
      labels: isObj((value as Obj).metadata?.labels)
        ? ((value as Obj).metadata.labels as Record<string, string>)
        : {},
      path,
    }));
}

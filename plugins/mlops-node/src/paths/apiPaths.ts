import {
  ALLOWED_KINDS,
  apiGroupOf,
  describeAllowedKinds,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/**
 * Where an object lives and which served version names it.
 *
 * @public
 */
export interface KubeObjectKey {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * A resource of any kind, named by its plural as discovery or RBAC names it.
 *
 * @public
 */
export interface ResourceRef {
  apiVersion: string;
  plural: string;
  /** Omitted for cluster-scoped resources and for a list across all namespaces. */
  namespace?: string;
  /** Omitted for the collection. */
  name?: string;
  /** For example `status`; needs `name`. */
  subresource?: string;
}

/**
 * `/api/v1` for the core group, `/apis/<group>/<version>` for every other.
 *
 * @public
 */
export function groupVersionPath(apiVersion: string): string {
  return apiGroupOf(apiVersion) === ''
    ? `/api/${apiVersion}`
    : `/apis/${apiVersion}`;
}

/**
 * REST path of a resource, its collection, or one of its subresources.
 *
 * @public
 */
export function resourcePath(ref: ResourceRef): string {
  if (ref.subresource && !ref.name) {
    throw new Error(
      `subresource "${ref.subresource}" of ${ref.plural} needs an object name`,
    );
  }
  const namespace = ref.namespace
    ? `/namespaces/${encodeURIComponent(ref.namespace)}`
    : '';
  const name = ref.name ? `/${encodeURIComponent(ref.name)}` : '';
  const subresource = ref.subresource ? `/${ref.subresource}` : '';
  return `${groupVersionPath(ref.apiVersion)}${namespace}/${
    ref.plural
  }${name}${subresource}`;
}

/**
 * REST path of an object of an allow-listed kind (its collection when `name` is omitted).
 * Other kinds are refused, so a path to a Secret or a ClusterRole is never built from a key.
 *
 * @public
 */
export function objectPath(
  key: Omit<KubeObjectKey, 'name'> & { name?: string },
): string {
  const group = apiGroupOf(key.apiVersion);
  const kind = ALLOWED_KINDS.find(
    k => k.group === group && k.kind === key.kind,
  );
  if (!kind) {
    throw new Error(
      `${key.kind} (${
        key.apiVersion
      }) is not an allowed kind; allowed: ${describeAllowedKinds()}`,
    );
  }
  return resourcePath({
    apiVersion: key.apiVersion,
    plural: kind.plural,
    namespace: key.namespace,
    name: key.name,
  });
}

import { apiGroupOf } from '@mlops-plugins/backstage-plugin-mlops-common';

/** Where an object lives and which served version a manifest names it by. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * group/kind/namespace/name: the one identity of an object, whatever version a manifest, the
 * inventory or the watch cache names it by. The version is data: the API server serves one
 * object under every version of its group, so a key that held it would see two objects.
 */
export const objectId = (key: ObjectKey) =>
  `${apiGroupOf(key.apiVersion)}/${key.kind}/${key.namespace}/${key.name}`;

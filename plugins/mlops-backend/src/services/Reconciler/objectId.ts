import { apiGroupOf } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ObjectKey } from './desiredState';

/** group/kind/namespace/name: the identity of an object whatever version a manifest uses. */
export const objectId = (key: ObjectKey) =>
  `${apiGroupOf(key.apiVersion)}/${key.kind}/${key.namespace}/${key.name}`;

import {
  quoteToken,
  type ManifestObject,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ExposedServiceType } from '../../config';
import { isObj, valuesAtKey } from './podSpecs';

/**
 * Services that reach outside the cluster network or intercept it: `externalIPs` (the
 * CVE-2020-8554 path: any address, claimed for the whole cluster) always, and NodePort,
 * LoadBalancer and ExternalName unless the namespace allows them. KubeRay makes Services from
 * a RayCluster's `serviceType`, `headService` and a RayService's `serveService`, so those count too.
 */
export function serviceExposureViolations(
  object: ManifestObject,
  allowed: ExposedServiceType[],
): string[] {
  const out: string[] = [];
  const checkType = (type: unknown, where: string) => {
    if (type === undefined || type === 'ClusterIP') return;
    if (!allowed.includes(type as ExposedServiceType)) {
      out.push(
        `${where} is ${quoteToken(type)}; this namespace allows ClusterIP${
          allowed.length ? `, ${allowed.join(', ')}` : ''
        } (mlops.clusters[].namespaces[].allowedServiceTypes)`,
      );
    }
  };
  const checkSpec = (spec: unknown, where: string) => {
    if (!isObj(spec)) return;
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0) {
      out.push(
        `${where}.externalIPs is set; Services may not claim external addresses (CVE-2020-8554)`,
      );
    }
    checkType(spec.type, `${where}.type`);
  };
  if (object.kind === 'Service' && object.apiVersion === 'v1') {
    checkSpec(object.spec, '.spec');
  }
  if (object.apiVersion.startsWith('ray.io/')) {
    for (const { value, path } of valuesAtKey(object, 'serviceType')) {
      checkType(value, path);
    }
    for (const key of ['headService', 'serveService']) {
      for (const { value, path } of valuesAtKey(object, key)) {
        if (isObj(value)) checkSpec(value.spec, `${path}.spec`);
      }
    }
  }
  return out;
}

import { quoteToken } from '@mlops-plugins/backstage-plugin-mlops-common';
import { forEachPodSpec, valuesAtKey } from './podSpecs';

/**
 * Identities a workload's pods may not take: a ServiceAccount of the deny list (always the one
 * the reconciler impersonates, which may write every allow-listed kind in the namespace: a pod
 * running as it could create what the policy refuses) and the `system-` priority classes that
 * preempt cluster components. `serviceAccountName` is searched at any depth, since TrainJob
 * overrides and KServe predictors set it outside a pod spec with containers.
 */
export function podIdentityViolations(
  object: unknown,
  deniedServiceAccounts: string[],
): string[] {
  const out: string[] = [];
  const denied = new Set(deniedServiceAccounts);
  const check = (value: unknown, path: string) => {
    if (typeof value === 'string' && denied.has(value)) {
      out.push(
        `${path} is ${quoteToken(
          value,
        )}, a ServiceAccount no workload may run as (the reconciler's own identity or mlops deniedServiceAccounts)`,
      );
    } else if (value !== undefined && typeof value !== 'string') {
      out.push(`${path} is not a ServiceAccount name`);
    }
  };
  for (const { value, path } of valuesAtKey(object, 'serviceAccountName')) {
    check(value, path);
  }
  // The deprecated alias; the API server copies it into serviceAccountName when that is unset.
  forEachPodSpec(object, (spec, path) => {
    check(spec.serviceAccount, `${path === '.' ? '' : path}.serviceAccount`);
    const priority = spec.priorityClassName;
    if (typeof priority === 'string' && priority.startsWith('system-')) {
      out.push(
        `${path === '.' ? '' : path}.priorityClassName is ${quoteToken(
          priority,
        )}; system- priority classes are for cluster components`,
      );
    }
  });
  return out;
}

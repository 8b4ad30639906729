import { reconcilerRbacObjects } from './rbac';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

describe('reconcilerRbacObjects', () => {
  const [reconcilerRole, , applierRole] =
    reconcilerRbacObjects() as unknown as Array<{
      metadata: { name: string };
      rules: Rule[];
    }>;

  it('gives the reconciler no write verb except impersonating ServiceAccounts', () => {
    const writes = reconcilerRole.rules.filter(r =>
      r.verbs.some(v =>
        [
          'create',
          'patch',
          'update',
          'delete',
          'escalate',
          'bind',
          '*',
        ].includes(v),
      ),
    );
    expect(writes).toEqual([]);
    const impersonate = reconcilerRole.rules.filter(r =>
      r.verbs.includes('impersonate'),
    );
    expect(impersonate).toEqual([
      {
        apiGroups: [''],
        resources: ['serviceaccounts'],
        verbs: ['impersonate'],
      },
    ]);
  });

  it('never grants Secrets, RBAC or CRDs to either role', () => {
    for (const role of [reconcilerRole, applierRole]) {
      const resources = role.rules.flatMap(r => r.resources);
      expect(resources).not.toContain('secrets');
      expect(resources).not.toContain('*');
      expect(role.rules.flatMap(r => r.apiGroups)).not.toContain(
        'rbac.authorization.k8s.io',
      );
      expect(role.rules.flatMap(r => r.apiGroups)).not.toContain(
        'apiextensions.k8s.io',
      );
    }
  });

  it('lets the applier write exactly the allow-listed kinds', () => {
    const resources = applierRole.rules.flatMap(r => r.resources).sort();
    expect(resources).toEqual(
      [
        'configmaps',
        'deployments',
        'inferenceservices',
        'persistentvolumeclaims',
        'podmonitors',
        'pytorchjobs',
        'rayclusters',
        'rayjobs',
        'rayservices',
        'scaledobjects',
        'servicemonitors',
        'services',
        'statefulsets',
        'trainjobs',
        'triggerauthentications',
      ].sort(),
    );
  });
});

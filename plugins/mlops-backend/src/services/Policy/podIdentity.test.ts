import { podIdentityViolations } from './podIdentity';
import { serviceExposureViolations } from './serviceExposure';

describe('podIdentityViolations', () => {
  const denied = ['backstage-mlops', 'admin'];
  it('finds a denied ServiceAccount at any depth and in the deprecated field', () => {
    expect(
      podIdentityViolations(
        {
          spec: {
            template: { spec: { serviceAccount: 'admin', containers: [] } },
            podTemplateOverrides: [
              { spec: { serviceAccountName: 'backstage-mlops' } },
            ],
          },
        },
        denied,
      ),
    ).toEqual([
      '.spec.podTemplateOverrides[0].spec.serviceAccountName is "backstage-mlops", a ServiceAccount no workload may run as (the reconciler\'s own identity or mlops deniedServiceAccounts)',
      '.spec.template.spec.serviceAccount is "admin", a ServiceAccount no workload may run as (the reconciler\'s own identity or mlops deniedServiceAccounts)',
    ]);
  });

  it('accepts other accounts and refuses system- priority classes and non-string names', () => {
    const pod = (extra: object) => ({
      spec: { template: { spec: { containers: [], ...extra } } },
    });
    expect(
      podIdentityViolations(pod({ serviceAccountName: 'vllm' }), denied),
    ).toEqual([]);
    expect(
      podIdentityViolations(
        pod({ priorityClassName: 'system-node-critical' }),
        denied,
      )[0],
    ).toMatch(/system- priority classes are for cluster components/);
    expect(
      podIdentityViolations(pod({ serviceAccountName: ['x'] }), denied)[0],
    ).toMatch(/is not a ServiceAccount name/);
  });
});

describe('serviceExposureViolations', () => {
  const svc = (spec: object) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec,
  });
  it('refuses externalIPs always and exposed types unless allowed', () => {
    expect(
      serviceExposureViolations(svc({ externalIPs: ['1.2.3.4'] }), [
        'LoadBalancer',
      ])[0],
    ).toMatch(/CVE-2020-8554/);
    expect(serviceExposureViolations(svc({ type: 'NodePort' }), [])[0]).toMatch(
      /spec\.type is "NodePort"; this namespace allows ClusterIP \(/,
    );
    expect(
      serviceExposureViolations(svc({ type: 'LoadBalancer' }), [
        'LoadBalancer',
      ]),
    ).toEqual([]);
    expect(serviceExposureViolations(svc({ type: 'ClusterIP' }), [])).toEqual(
      [],
    );
  });

  it('counts the Services KubeRay makes from a RayService', () => {
    expect(
      serviceExposureViolations(
        {
          apiVersion: 'ray.io/v1',
          kind: 'RayService',
          metadata: { name: 'r' },
          spec: { serveService: { spec: { type: 'LoadBalancer' } } },
        },
        [],
      )[0],
    ).toMatch(/serveService\.spec\.type is "LoadBalancer"/);
  });
});

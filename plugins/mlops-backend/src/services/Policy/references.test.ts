import { parseManifestFile } from '@mlops-plugins/backstage-plugin-mlops-common';
import { namedReferences, referenceViolations } from './references';

const manifests = (yaml: string) => parseManifestFile('m.yaml', yaml).manifests;
const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: c, image: i}]}
`;
const check = (yaml: string) =>
  referenceViolations(manifests(`${web}---\n${yaml}`), 'ns');

describe('referenceViolations', () => {
  it("accepts references to the entity's own objects", () => {
    expect(
      check(`apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: s}
spec:
  scaleTargetRef: {name: web}
  triggers: [{type: prometheus, metadata: {}, authenticationRef: {name: auth}}]
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: auth}
spec: {secretTargetRef: [{parameter: bearerToken, name: tok, key: t}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc, labels: {app: web}}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: mon}
spec: {selector: {matchLabels: {app: web}}, namespaceSelector: {matchNames: [ns]}, endpoints: [{port: http}]}
`),
    ).toEqual([]);
  });

  it.each([
    [
      'a scale target of another kind',
      'kind: ScaledObject',
      'scaleTargetRef: {kind: StatefulSet, name: web}',
      /names StatefulSet "web", which is not in this entity's manifests/,
    ],
    [
      'a scale target in another API group',
      'kind: ScaledObject',
      'scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}',
      /names Rollout "web"/,
    ],
    [
      'a missing scale target name',
      'kind: ScaledObject',
      'scaleTargetRef: {}',
      /scaleTargetRef\.name is missing/,
    ],
  ])('refuses %s', (_name, kind, spec, reason) => {
    expect(
      check(
        `apiVersion: keda.sh/v1alpha1\n${kind}\nmetadata: {name: s}\nspec:\n  ${spec}\n`,
      ).join('\n'),
    ).toMatch(reason);
  });

  it('refuses selectors that select nothing of the entity, or name no labels', () => {
    const svc = (selector: string) =>
      check(
        `apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {selector: ${selector}, ports: [{port: 80}]}\n`,
      );
    expect(svc('{app: web, tier: back}')[0]).toMatch(/selects no pod template/);
    expect(svc('{}')[0]).toMatch(/must name labels/);
    expect(svc('{app: web}')).toEqual([]);
    expect(
      check(
        'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: m}\nspec: {selector: {matchExpressions: [{key: app, operator: Exists}]}}\n',
      )[0],
    ).toMatch(/must name labels \(matchLabels\) of pod template/);
  });

  it('refuses a monitor reaching another namespace and a PVC cloned from elsewhere', () => {
    expect(
      check(
        'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}\nspec: {namespaceSelector: {matchNames: [ns, kube-system]}, selector: {matchLabels: {app: web}}}\n',
      ).join('\n'),
    ).toMatch(/namespaceSelector reaches beyond/);
    expect(
      check(
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {dataSourceRef: {kind: PersistentVolumeClaim, name: x, namespace: other}}\n',
      )[0],
    ).toMatch(/may not be filled from another namespace/);
  });
});

describe('namedReferences', () => {
  it('finds ConfigMaps and PVCs pods use by name, in every pod shape', () => {
    const [job] = manifests(`apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: j}
spec:
  pytorchReplicaSpecs:
    Worker:
      template:
        spec:
          volumes:
          - {name: ckpt, persistentVolumeClaim: {claimName: ckpt}}
          - {name: cfg, projected: {sources: [{configMap: {name: proj}}]}}
          containers:
          - name: c
            image: i
            envFrom: [{configMapRef: {name: env}}]
            env: [{name: K, valueFrom: {configMapKeyRef: {name: key, key: k}}}]
`);
    expect(namedReferences(job.object).map(r => `${r.kind}/${r.name}`)).toEqual(
      [
        'PersistentVolumeClaim/ckpt',
        'ConfigMap/proj',
        'ConfigMap/env',
        'ConfigMap/key',
      ],
    );
  });
});

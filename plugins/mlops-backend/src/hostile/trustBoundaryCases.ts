import fs from 'node:fs';
import path from 'node:path';
import { configMap, HOSTILE_NS } from './hostileRepoCases';

/**
 * Repositories that try to cross the trust boundary: read the Backstage host, deploy from a
 * repository the namespace does not admit, take over or point at another entity's objects, or
 * run pods as an identity the policy did not grant. Each is refused whole, with a reason.
 */
export interface TrustDirs {
  /** Outside every allowed file root. */
  outside: string;
  /** Under an allowed file root, but no namespace's source. */
  foreign: string;
}

export interface TrustCase {
  name: string;
  /** Writes the case's repository into `entityDir` (catalog-info.yaml's directory). */
  setup(entityDir: string, dirs: TrustDirs): void;
  /** The mlops/manifests annotation; `./deploy` unless the case is about the path. */
  manifests?: string;
  /** More annotations on the entity, as the file's author may write them. */
  annotations?: (dirs: TrustDirs) => Record<string, string>;
  /** The location the catalog recorded; by default `file:` of the entity's catalog-info.yaml. */
  location?: (dirs: TrustDirs) => string;
  /** Leave out the valid ConfigMap that proves a refusal is whole. */
  noValidObject?: boolean;
  reason: RegExp;
  /** Objects that must not exist afterwards (API paths). */
  absent?: string[];
  /** Text that must appear nowhere in the record. */
  secret?: string;
}

/** The victim entity, reconciled before the cases; its objects must come out unchanged. */
export const VICTIM = {
  name: 'victim',
  ref: 'component:default/victim',
  files: {
    'config.yaml': configMap('victim-config'),
    'cache.yaml':
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: victim-cache\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n',
    'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: victim-web
spec:
  selector: {matchLabels: {app: victim-web}}
  template:
    metadata: {labels: {app: victim-web}}
    spec:
      containers: [{name: web, image: busybox}]
`,
    'ray.yaml': `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: victim-ray
  labels: {team: victim}
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers: [{name: ray-head, image: rayproject/ray:2.46.0}]
`,
  } as Record<string, string>,
  paths: [
    `/api/v1/namespaces/${HOSTILE_NS}/configmaps/victim-config`,
    `/api/v1/namespaces/${HOSTILE_NS}/persistentvolumeclaims/victim-cache`,
    `/apis/apps/v1/namespaces/${HOSTILE_NS}/deployments/victim-web`,
    `/apis/ray.io/v1/namespaces/${HOSTILE_NS}/rayclusters/victim-ray`,
  ],
};

/** Objects an admin made in the namespace by hand (no MLOps ownership), and one a controller owns. */
export const UNOWNED = {
  handmade: configMap('handmade'),
  operatorMade: `apiVersion: v1
kind: ConfigMap
metadata:
  name: operator-made
  ownerReferences:
  - {apiVersion: apps/v1, kind: Deployment, name: some-operator, uid: 0b7e2a52-4d5f-4d7e-9a43-3f1c9b8f0a11}
data: {value: "x"}
`,
  paths: [
    `/api/v1/namespaces/${HOSTILE_NS}/configmaps/handmade`,
    `/api/v1/namespaces/${HOSTILE_NS}/configmaps/operator-made`,
  ],
};

/** A ServiceAccount from `mlops.clusters[].namespaces[].deniedServiceAccounts` in the test config. */
export const DENIED_ACCOUNT = 'pipeline-admin';

const write = (dir: string, file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
const deploy = (file: string, text: string) => (d: string) =>
  write(d, `deploy/${file}`, text);

const deployment = (name: string, podSpec: string, labels = `app: ${name}`) =>
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
${podSpec}`;
const containers = '      containers: [{name: c, image: busybox}]\n';

const scaledObject = (spec: string) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: scaler
spec:
${spec}`;
const promTrigger = (auth = '') =>
  `  triggers:\n  - type: prometheus\n    metadata: {serverAddress: "http://prometheus:9090", query: "up", threshold: "1"}\n${auth}`;

const service = (spec: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: front\nspec:\n${spec}`;
const ports = '  ports: [{port: 80}]\n';

const ns = (p: string) => p.replace('NS', HOSTILE_NS);

export const trustCases: TrustCase[] = [
  // Where manifests come from.
  {
    name: 'backstage.io/source-location pointing at a host directory',
    setup: (_d, { outside }) =>
      write(outside, 'host/stolen.yaml', configMap('from-host')),
    annotations: ({ outside }) => ({
      'backstage.io/source-location': `file:${path.join(outside, 'host')}/`,
    }),
    noValidObject: true,
    reason: /manifests directory .*deploy does not exist or is not a directory/,
    absent: [ns('/api/v1/namespaces/NS/configmaps/from-host')],
  },
  {
    name: 'a file location outside mlops.manifests.allowedFileRoots',
    setup: (_d, { outside }) =>
      write(outside, 'elsewhere/deploy/x.yaml', configMap('outside-root')),
    location: ({ outside }) =>
      `file:${path.join(outside, 'elsewhere', 'catalog-info.yaml')}`,
    reason:
      /file location is outside every directory of mlops\.manifests\.allowedFileRoots/,
    absent: [ns('/api/v1/namespaces/NS/configmaps/outside-root')],
  },
  {
    name: 'mlops/manifests as a file: URL',
    manifests: 'file:/etc',
    setup: () => undefined,
    reason: /mlops\/manifests is a URL or carries a scheme/,
  },
  {
    name: 'mlops/manifests as a URL of another repository',
    manifests: 'https:/other-org/repo/deploy',
    setup: () => undefined,
    reason: /mlops\/manifests is a URL or carries a scheme/,
  },
  {
    name: 'mlops/manifests as an absolute path',
    manifests: '/etc/kubernetes',
    setup: () => undefined,
    reason: /mlops\/manifests is an absolute path/,
  },
  {
    name: 'mlops/manifests with percent-encoded dots',
    manifests: '%2e%2e/%2e%2e/outside',
    setup: () => undefined,
    reason: /mlops\/manifests has a segment that is not a plain name/,
  },
  {
    name: 'mlops/manifests with backslashes',
    manifests: 'deploy\\..\\..\\outside',
    setup: () => undefined,
    reason: /mlops\/manifests has a segment that is not a plain name/,
  },
  {
    name: 'invalid YAML holding a secret-looking line',
    setup: deploy(
      'broken.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  password: hunter2-s3cr3t: [\n',
    ),
    reason: /broken\.yaml#0: invalid YAML at line 6, column \d+: /,
    secret: 'hunter2-s3cr3t',
  },
  {
    name: 'a repository the namespace does not admit (whatever spec.owner says)',
    location: ({ foreign }) =>
      `file:${path.join(foreign, 'catalog-info.yaml')}`,
    setup: (_d, { foreign }) =>
      write(foreign, 'deploy/x.yaml', configMap('foreign')),
    reason: /its catalog location matches none of the namespace's sources/,
    absent: [ns('/api/v1/namespaces/NS/configmaps/foreign')],
  },
  // Ownership.
  {
    name: "another entity's ConfigMap",
    setup: deploy(
      'cm.yaml',
      configMap('victim-config', '  labels: {mine: "yes"}\n'),
    ),
    reason:
      /ConfigMap "victim-config" belongs to entity "component:default\/victim"; an object of another entity is never taken over/,
  },
  {
    name: "another entity's Deployment",
    setup: deploy('web.yaml', deployment('victim-web', containers)),
    reason:
      /Deployment "victim-web" belongs to entity "component:default\/victim"/,
  },
  {
    name: 'an object made by hand (no MLOps ownership)',
    setup: deploy('cm.yaml', configMap('handmade')),
    reason:
      /ConfigMap "handmade" exists without MLOps ownership \(created by hand or by another tool; field managers: .*\); it is not taken over unless the namespace sets adoptUnowned/,
  },
  {
    name: 'an object a controller owns',
    setup: deploy('cm.yaml', configMap('operator-made')),
    reason:
      /ConfigMap "operator-made" exists and is managed by its owner "Deployment" "some-operator"/,
  },
  // References.
  {
    name: "a ScaledObject scaling another entity's Deployment",
    setup: deploy(
      'scaler.yaml',
      scaledObject(`  scaleTargetRef: {name: victim-web}\n${promTrigger()}`),
    ),
    reason:
      /ScaledObject "scaler" spec\.scaleTargetRef names Deployment "victim-web", which is not in this entity's manifests/,
    absent: [ns('/apis/keda.sh/v1alpha1/namespaces/NS/scaledobjects/scaler')],
  },
  {
    name: 'a ScaledObject using a ClusterTriggerAuthentication',
    setup: d => {
      deploy('web.yaml', deployment('own-web', containers))(d);
      deploy(
        'scaler.yaml',
        scaledObject(
          `  scaleTargetRef: {name: own-web}\n${promTrigger(
            '    authenticationRef: {name: platform-creds, kind: ClusterTriggerAuthentication}\n',
          )}`,
        ),
      )(d);
    },
    reason:
      /authenticationRef uses a ClusterTriggerAuthentication, the platform's cluster-wide credentials/,
    absent: [ns('/apis/apps/v1/namespaces/NS/deployments/own-web')],
  },
  {
    name: "a ScaledObject using a TriggerAuthentication that is not the entity's",
    setup: d => {
      deploy('web.yaml', deployment('own-web', containers))(d);
      deploy(
        'scaler.yaml',
        scaledObject(
          `  scaleTargetRef: {name: own-web}\n${promTrigger(
            '    authenticationRef: {name: victim-auth}\n',
          )}`,
        ),
      )(d);
    },
    reason:
      /authenticationRef names TriggerAuthentication "victim-auth", which is not in this entity's manifests/,
  },
  {
    name: 'a TriggerAuthentication with a cloud pod identity',
    setup: deploy(
      'auth.yaml',
      'apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata:\n  name: auth\nspec:\n  podIdentity: {provider: aws, roleArn: "arn:aws:iam::1:role/admin"}\n',
    ),
    reason:
      /podIdentity\.provider is "aws": KEDA would act with a cloud identity the policy did not grant/,
  },
  {
    name: "a TriggerAuthentication reading KEDA's vault",
    setup: deploy(
      'auth.yaml',
      'apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata:\n  name: auth\nspec:\n  hashiCorpVault: {address: "http://vault:8200", authentication: token, secrets: []}\n',
    ),
    reason:
      /spec has "hashiCorpVault", which reads credentials through KEDA's own identity/,
  },
  {
    name: "a PVC cloned from another entity's PVC",
    setup: deploy(
      'clone.yaml',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: clone\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n  dataSource: {kind: PersistentVolumeClaim, name: victim-cache}\n',
    ),
    reason:
      /PersistentVolumeClaim "clone" spec\.dataSource names PersistentVolumeClaim "victim-cache", which is not in this entity's manifests/,
    absent: [ns('/api/v1/namespaces/NS/persistentvolumeclaims/clone')],
  },
  {
    name: 'a PVC filled from a VolumeSnapshot',
    setup: deploy(
      'clone.yaml',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: clone\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n  dataSourceRef: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: nightly}\n',
    ),
    reason:
      /dataSourceRef names VolumeSnapshot, which cannot be in this entity's manifests/,
  },
  {
    name: "a Service selecting another entity's pods",
    setup: deploy(
      'svc.yaml',
      service(`  selector: {app: victim-web}\n${ports}`),
    ),
    reason:
      /Service "front" spec\.selector selects no pod template of this entity's manifests/,
    absent: [ns('/api/v1/namespaces/NS/services/front')],
  },
  {
    name: "pods mounting another entity's PVC",
    setup: deploy(
      'reader.yaml',
      deployment(
        'reader',
        `${containers}      volumes: [{name: data, persistentVolumeClaim: {claimName: victim-cache}}]\n`,
      ),
    ),
    reason:
      /Deployment "reader" spec\.template\.spec\.volumes\[0\] uses PersistentVolumeClaim "victim-cache", which belongs to entity "component:default\/victim"/,
    absent: [ns('/apis/apps/v1/namespaces/NS/deployments/reader')],
  },
  {
    name: "pods reading another entity's ConfigMap through envFrom",
    setup: deploy(
      'reader.yaml',
      deployment(
        'reader',
        '      containers: [{name: c, image: busybox, envFrom: [{configMapRef: {name: victim-config}}]}]\n',
      ),
    ),
    reason:
      /containers\[0\]\.envFrom\[0\] uses ConfigMap "victim-config", which belongs to entity "component:default\/victim"/,
  },
  {
    name: 'a PodMonitor reaching into every namespace',
    setup: d => {
      deploy('web.yaml', deployment('own-web', containers))(d);
      deploy(
        'mon.yaml',
        'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: mon\nspec:\n  namespaceSelector: {any: true}\n  selector: {matchLabels: {app: own-web}}\n  podMetricsEndpoints: [{port: http}]\n',
      )(d);
    },
    reason:
      /PodMonitor "mon" spec\.namespaceSelector reaches beyond the entity's namespace/,
  },
  {
    name: "a RayJob submitted to another entity's RayCluster",
    setup: deploy(
      'job.yaml',
      'apiVersion: ray.io/v1\nkind: RayJob\nmetadata:\n  name: borrow\nspec:\n  entrypoint: python -c "print(1)"\n  clusterSelector: {team: victim}\n',
    ),
    reason:
      /RayJob "borrow" spec\.clusterSelector selects no RayCluster of this entity's manifests/,
    absent: [ns('/apis/ray.io/v1/namespaces/NS/rayjobs/borrow')],
  },
  // Pod identity.
  {
    name: "a Deployment running as the reconciler's ServiceAccount",
    setup: deploy(
      'web.yaml',
      deployment(
        'as-reconciler',
        `      serviceAccountName: backstage-mlops\n${containers}`,
      ),
    ),
    reason:
      /Deployment "as-reconciler" spec\.template\.spec\.serviceAccountName is "backstage-mlops", a ServiceAccount no workload may run as/,
    absent: [ns('/apis/apps/v1/namespaces/NS/deployments/as-reconciler')],
  },
  {
    name: 'the deprecated serviceAccount field',
    setup: deploy(
      'web.yaml',
      deployment(
        'as-reconciler',
        `      serviceAccount: backstage-mlops\n${containers}`,
      ),
    ),
    reason: /spec\.template\.spec\.serviceAccount is "backstage-mlops"/,
  },
  {
    name: "a PyTorchJob worker running as the reconciler's ServiceAccount",
    setup: deploy(
      'job.yaml',
      `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: train
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          containers: [{name: pytorch, image: pytorch/pytorch}]
    Worker:
      replicas: 1
      template:
        spec:
          serviceAccountName: backstage-mlops
          containers: [{name: pytorch, image: pytorch/pytorch}]
`,
    ),
    reason:
      /PyTorchJob "train" spec\.pytorchReplicaSpecs\.Worker\.template\.spec\.serviceAccountName is "backstage-mlops"/,
    absent: [ns('/apis/kubeflow.org/v1/namespaces/NS/pytorchjobs/train')],
  },
  {
    name: 'a TrainJob override naming the reconciler ServiceAccount outside a pod spec',
    setup: deploy(
      'job.yaml',
      `apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata:
  name: tj
spec:
  runtimeRef: {name: torch-distributed}
  podTemplateOverrides:
  - targetJobs: [{name: node}]
    spec: {serviceAccountName: backstage-mlops}
`,
    ),
    reason:
      /TrainJob "tj" spec\.podTemplateOverrides\[0\]\.spec\.serviceAccountName is "backstage-mlops"/,
  },
  {
    name: 'a ServiceAccount on the configured deny list',
    setup: deploy(
      'web.yaml',
      deployment(
        'as-admin',
        `      serviceAccountName: ${DENIED_ACCOUNT}\n${containers}`,
      ),
    ),
    reason:
      /serviceAccountName is "pipeline-admin", a ServiceAccount no workload may run as/,
  },
  {
    name: 'a system- priority class',
    setup: deploy(
      'web.yaml',
      deployment(
        'vip',
        `      priorityClassName: system-cluster-critical\n${containers}`,
      ),
    ),
    reason:
      /priorityClassName is "system-cluster-critical"; system- priority classes are for cluster components/,
  },
  // Network exposure.
  {
    name: 'a Service with externalIPs (CVE-2020-8554)',
    setup: d => {
      deploy('web.yaml', deployment('own-web', containers))(d);
      deploy(
        'svc.yaml',
        service(
          `  selector: {app: own-web}\n  externalIPs: [8.8.8.8]\n${ports}`,
        ),
      )(d);
    },
    reason:
      /Service "front" spec\.externalIPs is set; Services may not claim external addresses/,
    absent: [ns('/api/v1/namespaces/NS/services/front')],
  },
  {
    name: 'a LoadBalancer Service',
    setup: d => {
      deploy('web.yaml', deployment('own-web', containers))(d);
      deploy(
        'svc.yaml',
        service(`  type: LoadBalancer\n  selector: {app: own-web}\n${ports}`),
      )(d);
    },
    reason:
      /Service "front" spec\.type is "LoadBalancer"; this namespace allows ClusterIP \(/,
  },
  {
    name: 'a NodePort Service',
    setup: d => {
      deploy('web.yaml', deployment('own-web', containers))(d);
      deploy(
        'svc.yaml',
        service(`  type: NodePort\n  selector: {app: own-web}\n${ports}`),
      )(d);
    },
    reason: /spec\.type is "NodePort"/,
  },
  {
    name: 'an ExternalName Service',
    setup: deploy(
      'svc.yaml',
      service(
        '  type: ExternalName\n  externalName: metadata.google.internal\n',
      ),
    ),
    reason: /spec\.type is "ExternalName"/,
  },
  {
    name: 'a RayCluster whose head Service is a NodePort',
    setup: deploy(
      'ray.yaml',
      `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: exposed
spec:
  headGroupSpec:
    serviceType: NodePort
    rayStartParams: {}
    template:
      spec:
        containers: [{name: ray-head, image: rayproject/ray:2.46.0}]
`,
    ),
    reason:
      /RayCluster "exposed" spec\.headGroupSpec\.serviceType is "NodePort"/,
  },
  {
    name: 'metadata.ownerReferences and finalizers in a manifest',
    setup: deploy(
      'cm.yaml',
      configMap(
        'pinned',
        '  finalizers: [example.com/never]\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: victim-config, uid: 1c0ffee0-0000-4000-8000-000000000001}]\n',
      ),
    ),
    reason:
      /ConfigMap "pinned" sets metadata\.ownerReferences, which only controllers may set/,
  },
];

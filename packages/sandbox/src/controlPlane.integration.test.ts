import { Watch } from '@kubernetes/client-node';
import { rawRequest, serverSideApply } from './rawApi';
import { allowWorkloadNamespace, WORKLOAD_SERVICE_ACCOUNT } from './rbac';
import { useControlPlane } from './testing/useControlPlane';

const NS = 'it-control-plane';
const OTHER_NS = 'it-control-plane-other';

function pytorchJob(name: string, masterReplicas: unknown, backoffLimit = 3) {
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: { name, namespace: NS },
    spec: {
      runPolicy: { cleanPodPolicy: 'Running', backoffLimit },
      pytorchReplicaSpecs: {
        Master: {
          replicas: masterReplicas,
          restartPolicy: 'OnFailure',
          template: {
            spec: {
              containers: [
                {
                  name: 'pytorch',
                  image: 'pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime',
                },
              ],
            },
          },
        },
      },
    },
  };
}

const jobPath = (name: string) =>
  `/apis/kubeflow.org/v1/namespaces/${NS}/pytorchjobs/${name}`;

describe('real control plane (kube-apiserver + etcd)', () => {
  const controlPlane = useControlPlane();

  beforeAll(async () => {
    await allowWorkloadNamespace(controlPlane().adminKubeConfig, NS);
    await allowWorkloadNamespace(controlPlane().adminKubeConfig, OTHER_NS);
  });

  it('server-side applies a PyTorchJob, reads it back, and a second identical apply is a no-op', async () => {
    const kc = controlPlane().adminKubeConfig;
    const first = await serverSideApply(
      kc,
      jobPath('ssa-noop'),
      pytorchJob('ssa-noop', 1),
      {
        fieldManager: 'backstage-mlops',
      },
    );
    expect(first.status).toBe(201);
    const read = await rawRequest(kc, 'GET', jobPath('ssa-noop'));
    expect(read.status).toBe(200);
    expect(
      read.body.spec.pytorchReplicaSpecs.Master.template.spec.containers[0]
        .name,
    ).toBe('pytorch');
    expect(read.body.spec.runPolicy.cleanPodPolicy).toBe('Running');

    const second = await serverSideApply(
      kc,
      jobPath('ssa-noop'),
      pytorchJob('ssa-noop', 1),
      {
        fieldManager: 'backstage-mlops',
      },
    );
    expect(second.status).toBe(200);
    expect(second.body.metadata.resourceVersion).toBe(
      read.body.metadata.resourceVersion,
    );
  });

  it('rejects a PyTorchJob with replicas "two" through the CRD schema (422 on create)', async () => {
    const kc = controlPlane().adminKubeConfig;
    const created = await rawRequest(
      kc,
      'POST',
      `/apis/kubeflow.org/v1/namespaces/${NS}/pytorchjobs`,
      pytorchJob('bad-replicas', 'two'),
    );
    expect(created.status).toBe(422);
    expect(created.body.message).toMatch(
      /spec\.pytorchReplicaSpecs\.Master\.replicas in body must be of type integer/,
    );
    // Server-side apply reports the same type error as a 500 from building the typed patch:
    // a reconciler must treat this message as the object's fault, not as a transient error.
    const applied = await serverSideApply(
      kc,
      jobPath('bad-replicas'),
      pytorchJob('bad-replicas', 'two'),
      {
        fieldManager: 'backstage-mlops',
      },
    );
    expect(applied.status).toBe(500);
    expect(applied.body.message).toMatch(
      /failed to create typed patch object .*\.spec\.pytorchReplicaSpecs\.Master\.replicas: expected numeric/,
    );
    expect((await rawRequest(kc, 'GET', jobPath('bad-replicas'))).status).toBe(
      404,
    );
  });

  it('rejects an invalid ScaledObject through the CRD schema (422)', async () => {
    const scaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'bad-so', namespace: NS },
      // scaleTargetRef.name is required and at least one trigger is.
      spec: { scaleTargetRef: {}, triggers: [] },
    };
    const res = await serverSideApply(
      controlPlane().adminKubeConfig,
      `/apis/keda.sh/v1alpha1/namespaces/${NS}/scaledobjects/bad-so`,
      scaledObject,
      { fieldManager: 'backstage-mlops' },
    );
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toMatch(
      /spec\.scaleTargetRef\.name: Required value/,
    );
    expect(res.body.message).toMatch(
      /spec\.triggers in body should have at least 1 items/,
    );
  });

  it('reports a conflict with another field manager, and succeeds with force', async () => {
    const kc = controlPlane().adminKubeConfig;
    const created = await serverSideApply(
      kc,
      jobPath('conflict'),
      pytorchJob('conflict', 1, 3),
      {
        fieldManager: 'backstage-mlops',
      },
    );
    expect(created.status).toBe(201);

    const conflicting = await serverSideApply(
      kc,
      jobPath('conflict'),
      pytorchJob('conflict', 1, 5),
      {
        fieldManager: 'someone-with-kubectl',
      },
    );
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.reason).toBe('Conflict');
    expect(conflicting.body.message).toMatch(/conflict with "backstage-mlops"/);
    expect(conflicting.body.message).toMatch(/\.spec\.runPolicy\.backoffLimit/);

    const forced = await serverSideApply(
      kc,
      jobPath('conflict'),
      pytorchJob('conflict', 1, 5),
      {
        fieldManager: 'someone-with-kubectl',
        force: true,
      },
    );
    expect(forced.status).toBe(200);
    expect(forced.body.spec.runPolicy.backoffLimit).toBe(5);
    const managers = forced.body.metadata.managedFields.map(
      (f: { manager: string }) => f.manager,
    );
    expect(managers).toEqual(
      expect.arrayContaining(['backstage-mlops', 'someone-with-kubectl']),
    );
  });

  it('delivers ADDED, MODIFIED and DELETED watch events for a RayCluster', async () => {
    const kc = controlPlane().adminKubeConfig;
    const path = `/apis/ray.io/v1/namespaces/${NS}/rayclusters`;
    const events: string[] = [];
    let resolveDeleted: () => void = () => {};
    const deleted = new Promise<void>(resolve => {
      resolveDeleted = resolve;
    });
    const request = await new Watch(kc).watch(
      path,
      {},
      (type: string, obj: { metadata?: { name?: string } }) => {
        if (obj.metadata?.name !== 'watched') return;
        events.push(type);
        if (type === 'DELETED') resolveDeleted();
      },
      () => {},
    );
    try {
      const rayCluster = (label: string) => ({
        apiVersion: 'ray.io/v1',
        kind: 'RayCluster',
        metadata: { name: 'watched', namespace: NS, labels: { step: label } },
        spec: {
          headGroupSpec: {
            rayStartParams: {},
            template: {
              spec: {
                containers: [
                  { name: 'ray-head', image: 'rayproject/ray:2.49.0' },
                ],
              },
            },
          },
        },
      });
      expect(
        (
          await serverSideApply(kc, `${path}/watched`, rayCluster('one'), {
            fieldManager: 'it',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await serverSideApply(kc, `${path}/watched`, rayCluster('two'), {
            fieldManager: 'it',
          })
        ).status,
      ).toBe(200);
      expect((await rawRequest(kc, 'DELETE', `${path}/watched`)).status).toBe(
        200,
      );
      await Promise.race([
        deleted,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`events so far: ${events}`)),
            15_000,
          ),
        ),
      ]);
    } finally {
      request.abort();
    }
    expect(events).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  describe('the reconciler identity', () => {
    const serviceAccount = `system:serviceaccount:${NS}:${WORKLOAD_SERVICE_ACCOUNT}`;
    const configMap = (namespace: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace },
      data: { key: 'value' },
    });

    it('cannot create a ClusterRoleBinding (403)', async () => {
      const res = await rawRequest(
        controlPlane().reconcilerKubeConfig,
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'escalate' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'cluster-admin',
          },
          subjects: [
            {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'User',
              name: 'mlops-reconciler',
            },
          ],
        },
      );
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(
        /User "mlops-reconciler" cannot create resource "clusterrolebindings"/,
      );
    });

    it('cannot write as itself, only through the namespace ServiceAccount', async () => {
      const kc = controlPlane().reconcilerKubeConfig;
      const path = `/api/v1/namespaces/${NS}/configmaps/settings`;
      const direct = await serverSideApply(kc, path, configMap(NS), {
        fieldManager: 'backstage-mlops',
      });
      expect(direct.status).toBe(403);
      const impersonated = await serverSideApply(kc, path, configMap(NS), {
        fieldManager: 'backstage-mlops',
        asUser: serviceAccount,
      });
      expect(impersonated.status).toBe(201);
    });

    it('cannot write a Secret, or into another namespace, through that ServiceAccount', async () => {
      const kc = controlPlane().reconcilerKubeConfig;
      const secret = await serverSideApply(
        kc,
        `/api/v1/namespaces/${NS}/secrets/creds`,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'creds', namespace: NS },
          stringData: { a: 'b' },
        },
        { fieldManager: 'backstage-mlops', asUser: serviceAccount },
      );
      expect(secret.status).toBe(403);
      const elsewhere = await serverSideApply(
        kc,
        `/api/v1/namespaces/${OTHER_NS}/configmaps/settings`,
        configMap(OTHER_NS),
        { fieldManager: 'backstage-mlops', asUser: serviceAccount },
      );
      expect(elsewhere.status).toBe(403);
    });
  });
});

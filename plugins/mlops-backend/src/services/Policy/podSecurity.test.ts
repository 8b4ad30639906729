import { baselinePodSecurityViolations } from './podSecurity';

const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x' },
  spec: {
    template: {
      spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec },
    },
  },
});

describe('baselinePodSecurityViolations', () => {
  it('accepts a plain GPU pod with /dev/shm and added NET_BIND_SERVICE', () => {
    expect(
      baselinePodSecurityViolations(
        pod({
          volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory' } }],
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.11.0',
              resources: { limits: { 'nvidia.com/gpu': '1' } },
              securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } },
            },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    [{ hostNetwork: true }, '.spec.template.spec.hostNetwork is true'],
    [{ hostPID: true }, '.spec.template.spec.hostPID is true'],
    [{ hostIPC: true }, '.spec.template.spec.hostIPC is true'],
    [
      { volumes: [{ name: 'root', hostPath: { path: '/' } }] },
      '.spec.template.spec.volumes[0] ("root") uses hostPath',
    ],
    [
      {
        containers: [
          { name: 'c', image: 'i', securityContext: { privileged: true } },
        ],
      },
      '.spec.template.spec.containers[0] ("c").securityContext.privileged is true',
    ],
    [
      {
        initContainers: [
          {
            name: 'i',
            image: 'i',
            securityContext: { capabilities: { add: ['SYS_ADMIN'] } },
          },
        ],
        containers: [],
      },
      '.spec.template.spec.initContainers[0] ("i").securityContext.capabilities.add has "SYS_ADMIN"',
    ],
    [
      {
        containers: [
          {
            name: 'c',
            image: 'i',
            ports: [{ containerPort: 80, hostPort: 80 }],
          },
        ],
      },
      '.spec.template.spec.containers[0] ("c").ports sets hostPort 80',
    ],
    [
      { securityContext: { seccompProfile: { type: 'Unconfined' } } },
      '.spec.template.spec.securityContext.seccompProfile.type is Unconfined',
    ],
    [
      { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } },
      '.spec.template.spec.securityContext.sysctls has "kernel.msgmax"',
    ],
  ])('refuses %j', (spec, message) => {
    expect(baselinePodSecurityViolations(pod(spec))).toEqual([message]);
  });

  it('finds pod specs inside a PyTorchJob and a RayCluster worker group', () => {
    const job = {
      spec: {
        pytorchReplicaSpecs: {
          Worker: {
            template: {
              spec: {
                hostNetwork: true,
                containers: [{ name: 'pytorch', image: 'p' }],
              },
            },
          },
        },
      },
    };
    const ray = {
      spec: {
        workerGroupSpecs: [
          {
            template: {
              spec: {
                containers: [
                  {
                    name: 'w',
                    image: 'r',
                    securityContext: { privileged: true },
                  },
                ],
              },
            },
          },
        ],
      },
    };
    expect(baselinePodSecurityViolations(job)).toEqual([
      '.spec.pytorchReplicaSpecs.Worker.template.spec.hostNetwork is true',
    ]);
    expect(baselinePodSecurityViolations(ray)).toEqual([
      '.spec.workerGroupSpecs[0].template.spec.containers[0] ("w").securityContext.privileged is true',
    ]);
  });
});

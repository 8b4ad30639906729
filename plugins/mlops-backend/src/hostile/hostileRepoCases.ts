import fs from 'node:fs';
import path from 'node:path';

/**
 * Hostile repository contents for the reconciler, one per rule it must hold. Each case lays
 * out an entity directory (catalog-info.yaml's directory) next to a valid ConfigMap, so a
 * refusal proves the whole pass is refused, not just the bad object.
 */
export interface HostileCase {
  name: string;
  /** Writes the case into `entityDir`; `outside` is a directory beside the repo. */
  setup(entityDir: string, outside: string): void;
  /** The mlops/manifests annotation; `./deploy` unless the case is about the path. */
  manifests?: string;
  /** What the refusal must say: the rule and the file. */
  reason: RegExp;
  /** Objects that must not exist afterwards, as API paths (besides the valid ConfigMap). */
  absent?: string[];
}

export const HOSTILE_NS = 'it-hostile';

export const configMap = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  value: "x"\n`;

const deployment = (name: string, podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}`;

const container = '      containers: [{name: c, image: busybox}]\n';

/** Nine levels of ten aliases each: 10^9 strings if expanded. */
function billionLaughs(): string {
  const lines = ['lol0: &lol0 "lol"'];
  for (let i = 1; i <= 9; i++) {
    lines.push(
      `lol${i}: &lol${i} [${Array(10)
        .fill(`*lol${i - 1}`)
        .join(', ')}]`,
    );
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\n${lines.join(
    '\n',
  )}\ndata:\n  value: *lol9\n`;
}

const write = (dir: string, file: string, text: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

export const hostileCases: HostileCase[] = [
  {
    name: 'billion laughs (YAML anchors)',
    setup: d => write(d, 'deploy/bomb.yaml', billionLaughs()),
    reason: /bomb\.yaml#0: invalid YAML: .*(alias|resource exhaustion)/i,
  },
  {
    name: 'a 10 MB file',
    setup: d =>
      write(
        d,
        'deploy/big.yaml',
        configMap('big').padEnd(10 * 1024 * 1024, '#'),
      ),
    reason: /big\.yaml is 10485760 bytes; at most 1048576 per manifest file/,
  },
  {
    name: '5,000 documents in one file',
    setup: d =>
      write(
        d,
        'deploy/many.yaml',
        Array.from({ length: 5000 }, (_, i) => configMap(`m${i}`)).join(
          '---\n',
        ),
      ),
    reason:
      /many\.yaml: has 4999 document markers \(--- or \.\.\.\); at most 500 YAML documents per file/,
    absent: ['/api/v1/namespaces/it-hostile/configmaps/m0'],
  },
  {
    name: '600 documents spread over two files',
    setup: d => {
      for (const f of ['a', 'b'])
        write(
          d,
          `deploy/${f}.yaml`,
          Array.from({ length: 300 }, (_, i) => configMap(`${f}${i}`)).join(
            '---\n',
          ),
        );
    },
    reason:
      /b\.yaml brings the manifests directory to 600 YAML objects; at most 500 per entity/,
    absent: ['/api/v1/namespaces/it-hostile/configmaps/a0'],
  },
  {
    name: 'an object for another namespace',
    setup: d =>
      write(
        d,
        'deploy/other.yaml',
        configMap('elsewhere').replace(
          'name: elsewhere',
          'name: elsewhere\n  namespace: default',
        ),
      ),
    reason:
      /other\.yaml#0: ConfigMap "elsewhere" names namespace "default", but the entity's namespace is "it-hostile"/,
    absent: ['/api/v1/namespaces/default/configmaps/elsewhere'],
  },
  {
    name: 'a Namespace (cluster-scoped)',
    setup: d =>
      write(
        d,
        'deploy/ns.yaml',
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hostile-ns\n',
      ),
    reason: /ns\.yaml#0: Namespace \(v1\) "hostile-ns" is not an allowed kind/,
    absent: ['/api/v1/namespaces/hostile-ns'],
  },
  {
    name: 'a ClusterRole (cluster-scoped RBAC)',
    setup: d =>
      write(
        d,
        'deploy/role.yaml',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: hostile-admin\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]\n',
      ),
    reason:
      /role\.yaml#0: ClusterRole \(rbac\.authorization\.k8s\.io\/v1\) "hostile-admin" is not an allowed kind/,
    absent: ['/apis/rbac.authorization.k8s.io/v1/clusterroles/hostile-admin'],
  },
  {
    name: 'a RoleBinding (RBAC)',
    setup: d =>
      write(
        d,
        'deploy/binding.yaml',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: hostile-bind\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: default, namespace: it-hostile}]\n',
      ),
    reason:
      /binding\.yaml#0: RoleBinding \(rbac\.authorization\.k8s\.io\/v1\) "hostile-bind" is not an allowed kind/,
    absent: [
      '/apis/rbac.authorization.k8s.io/v1/namespaces/it-hostile/rolebindings/hostile-bind',
    ],
  },
  {
    name: 'a Secret',
    setup: d =>
      write(
        d,
        'deploy/secret.yaml',
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: hostile-secret\nstringData: {password: hunter2}\n',
      ),
    reason:
      /secret\.yaml#0: Secret \(v1\) "hostile-secret" is not an allowed kind/,
    absent: ['/api/v1/namespaces/it-hostile/secrets/hostile-secret'],
  },
  {
    name: 'a privileged pod',
    setup: d =>
      write(
        d,
        'deploy/priv.yaml',
        deployment(
          'priv',
          '      containers: [{name: c, image: busybox, securityContext: {privileged: true}}]\n',
        ),
      ),
    reason:
      /priv\.yaml#0: Deployment "priv" breaks the baseline Pod Security level: .*containers\[0\] \("c"\)\.securityContext\.privileged is true/,
    absent: ['/apis/apps/v1/namespaces/it-hostile/deployments/priv'],
  },
  {
    name: 'a hostPath volume',
    setup: d =>
      write(
        d,
        'deploy/hostpath.yaml',
        deployment(
          'hostpath',
          `${container}      volumes: [{name: root, hostPath: {path: /}}]\n`,
        ),
      ),
    reason:
      /hostpath\.yaml#0: Deployment "hostpath" breaks the baseline Pod Security level: .*volumes\[0\] \("root"\) uses hostPath/,
    absent: ['/apis/apps/v1/namespaces/it-hostile/deployments/hostpath'],
  },
  {
    name: 'hostNetwork',
    setup: d =>
      write(
        d,
        'deploy/hostnet.yaml',
        deployment('hostnet', `      hostNetwork: true\n${container}`),
      ),
    reason:
      /hostnet\.yaml#0: Deployment "hostnet" breaks the baseline Pod Security level: .*hostNetwork is true/,
    absent: ['/apis/apps/v1/namespaces/it-hostile/deployments/hostnet'],
  },
  {
    name: 'a symlinked file pointing outside the manifests directory',
    setup: (d, outside) => {
      write(outside, 'stolen.yaml', configMap('stolen'));
      fs.mkdirSync(path.join(d, 'deploy'), { recursive: true });
      fs.symlinkSync(
        path.join(outside, 'stolen.yaml'),
        path.join(d, 'deploy/link.yaml'),
      );
    },
    reason: /link\.yaml is a symbolic link; manifests must be plain files/,
    absent: ['/api/v1/namespaces/it-hostile/configmaps/stolen'],
  },
  {
    name: 'a symlinked directory escaping the manifests directory',
    setup: (d, outside) => {
      write(outside, 'dir/stolen.yaml', configMap('stolen-dir'));
      fs.mkdirSync(path.join(d, 'deploy'), { recursive: true });
      fs.symlinkSync(path.join(outside, 'dir'), path.join(d, 'deploy/sub'));
    },
    reason: /sub is a symbolic link; manifests must be plain files/,
    absent: ['/api/v1/namespaces/it-hostile/configmaps/stolen-dir'],
  },
  {
    name: 'the manifests directory itself a symlink out of the repo',
    setup: (d, outside) => {
      write(outside, 'whole/cm.yaml', configMap('whole'));
      fs.symlinkSync(path.join(outside, 'whole'), path.join(d, 'deploy'));
    },
    reason:
      /manifests directory .*deploy is a symbolic link; it must be a plain directory/,
    absent: ['/api/v1/namespaces/it-hostile/configmaps/whole'],
  },
  {
    name: 'a symlinked parent directory escaping the repo',
    manifests: './via/deploy',
    setup: (d, outside) => {
      write(outside, 'parent/deploy/cm.yaml', configMap('via-parent'));
      fs.symlinkSync(path.join(outside, 'parent'), path.join(d, 'via'));
    },
    reason:
      /manifests directory .*via\/deploy passes through a symbolic link \(.*via\); every directory on the way must be a plain directory/,
    absent: ['/api/v1/namespaces/it-hostile/configmaps/via-parent'],
  },
  {
    name: '".." in the manifests path',
    manifests: './deploy/../../outside',
    setup: () => undefined,
    reason: /mlops\/manifests leaves or names the entity directory itself/,
  },
  {
    name: 'a deeply nested flow sequence (stack exhaustion)',
    setup: d =>
      write(
        d,
        'deploy/deep.yaml',
        `${configMap('deep')}extra: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      ),
    reason: /deep\.yaml: nests collections 5000 levels deep; at most 64/,
  },
];

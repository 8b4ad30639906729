import {
  checkManifestPolicy,
  formatManifestProblem,
  parseManifestFile,
} from './manifests';
import { apiGroupOf, isAllowedKind } from './kinds';

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama3-8b-chat
  namespace: ml-serving
spec:
  replicas: 1
`;

describe('parseManifestFile', () => {
  it('reads every document and skips empty ones', () => {
    const text = `${deployment}\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: llama3-8b-chat\n`;
    const { manifests, problems } = parseManifestFile('deploy/app.yaml', text);
    expect(problems).toEqual([]);
    expect(manifests.map(m => `${m.object.kind}#${m.document}`)).toEqual([
      'Deployment#0',
      'Service#2',
    ]);
  });

  it('names the document that is not a Kubernetes object', () => {
    const { manifests, problems } = parseManifestFile(
      'x.yaml',
      '- a\n- b\n---\nkind: Service\n',
    );
    expect(manifests).toEqual([]);
    expect(problems.map(formatManifestProblem)).toEqual([
      'x.yaml#0: document is not a mapping (expected a Kubernetes object)',
      'x.yaml#1: apiVersion is missing (expected e.g. "apps/v1")',
    ]);
  });

  it('reports YAML syntax errors instead of throwing', () => {
    const { problems } = parseManifestFile(
      'bad.yaml',
      'apiVersion: v1\nkind: [Service\n',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(
      /^invalid YAML at line \d+, column \d+: .* \([A-Z_]+\)$/,
    );
  });

  it('refuses duplicate keys, which kubectl would silently merge', () => {
    const { problems } = parseManifestFile(
      'dup.yaml',
      'apiVersion: v1\nkind: Service\nkind: ConfigMap\nmetadata: {name: a}\n',
    );
    expect(problems[0].message).toMatch(/invalid YAML/);
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(
        `${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const { manifests, problems } = parseManifestFile(
      'bomb.yaml',
      `${lines.join('\n')}\n`,
    );
    expect(manifests).toEqual([]);
    expect(problems[0].message).toMatch(/invalid YAML: .*alias/i);
  });

  it('refuses a flood of documents before parsing it, and exactly at the limit', () => {
    const started = performance.now();
    const flood = parseManifestFile('flood.yaml', '---\n'.repeat(250_000));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(flood.problems.map(formatManifestProblem)).toEqual([
      'flood.yaml: has 250000 document markers (--- or ...); at most 500 YAML documents per file',
    ]);
    const ends = parseManifestFile('ends.yaml', 'a: 1\n...\n'.repeat(600));
    expect(ends.problems[0].message).toBe(
      'has 600 document markers (--- or ...); at most 500 YAML documents per file',
    );

    const service = (i: number) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n`;
    const three = [0, 1, 2].map(service).join('---\n');
    expect(
      parseManifestFile('three.yaml', three, { maxDocuments: 3 }).manifests,
    ).toHaveLength(3);
    expect(
      parseManifestFile('four.yaml', `${three}---\n${service(3)}`, {
        maxDocuments: 3,
      }).problems[0].message,
    ).toBe('holds 4 YAML documents; at most 3 YAML documents per file');
  });
});

describe('checkManifestPolicy', () => {
  it('accepts allowed kinds in the entity namespace', () => {
    const { manifests } = parseManifestFile('d.yaml', deployment);
    expect(checkManifestPolicy(manifests, { namespace: 'ml-serving' })).toEqual(
      [],
    );
  });

  it('refuses Secrets, RBAC and cluster-scoped kinds, naming the allowed ones', () => {
    const text = [
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3-creds\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: admin\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n',
    ].join('---\n');
    const { manifests } = parseManifestFile('evil.yaml', text);
    const problems = checkManifestPolicy(manifests);
    expect(problems).toHaveLength(3);
    expect(problems[0].message).toContain(
      'Secret (v1) "s3-creds" is not an allowed kind; allowed: PyTorchJob (kubeflow.org)',
    );
    expect(problems[1].message).toContain('ClusterRoleBinding');
  });

  it('refuses a Deployment of a look-alike group', () => {
    expect(isAllowedKind('evil.example.com/v1', 'Deployment')).toBe(false);
    expect(isAllowedKind('apps/v1', 'Deployment')).toBe(true);
    expect(apiGroupOf('v1')).toBe('');
  });

  it('refuses another namespace instead of rewriting it', () => {
    const { manifests } = parseManifestFile('d.yaml', deployment);
    expect(
      checkManifestPolicy(manifests, { namespace: 'team-a' }).map(
        p => p.message,
      ),
    ).toEqual([
      'Deployment "llama3-8b-chat" names namespace "ml-serving", but the entity\'s namespace is "team-a"',
    ]);
  });

  it('refuses invalid names and duplicates', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n';
    const { manifests } = parseManifestFile('c.yaml', text);
    const messages = checkManifestPolicy(manifests).map(p => p.message);
    expect(messages).toContain(
      'ConfigMap metadata.name "Bad_Name" is not a valid name (lower-case letters, digits, "-" and ".", at most 253 characters)',
    );
    expect(messages).toContain('ConfigMap "Bad_Name" is defined twice');
  });
});

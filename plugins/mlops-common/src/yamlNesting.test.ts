import { parseManifestFile } from './manifests';
import { MAX_YAML_NESTING, yamlNestingDepth } from './yamlNesting';

describe('yamlNestingDepth', () => {
  it('measures flow and compact block nesting', () => {
    expect(yamlNestingDepth('a: 1\nb: [1, {c: [2]}]\n')).toBe(3);
    expect(yamlNestingDepth('- - - x\n')).toBe(3);
    expect(yamlNestingDepth('[]]]]{}')).toBe(1);
  });

  it('stays low for a real Deployment', () => {
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: vllm, labels: {app: vllm}}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: vllm',
      '          args: ["--max-model-len", "8192"]',
      '          resources: {limits: {nvidia.com/gpu: 1}}',
    ].join('\n');
    expect(yamlNestingDepth(deployment)).toBeLessThan(MAX_YAML_NESTING);
    expect(parseManifestFile('d.yaml', deployment).problems).toEqual([]);
  });
});

describe('parseManifestFile and deep nesting', () => {
  it.each([
    ['flow', `a: ${'['.repeat(200_000)}`, 200_000],
    ['compact block', `${'- '.repeat(100_000)}x`, 100_000],
  ])('refuses %s nesting before parsing', (_kind, text, depth) => {
    const { manifests, problems } = parseManifestFile('deep.yaml', text);
    expect(manifests).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'deep.yaml',
        message: `nests collections ${depth} levels deep; at most ${MAX_YAML_NESTING}`,
      },
    ]);
  });
});

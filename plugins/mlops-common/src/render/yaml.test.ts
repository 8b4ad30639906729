import { parse } from 'yaml';
import { toYaml, toYamlStream } from './yaml';

describe('toYaml', () => {
  it('orders keys the same way whatever order the object was built in', () => {
    const a = {
      spec: { z: 1, a: 2 },
      metadata: { labels: {}, name: 'x' },
      kind: 'K',
      apiVersion: 'v1',
    };
    const b = {
      apiVersion: 'v1',
      kind: 'K',
      metadata: { name: 'x', labels: {} },
      spec: { a: 2, z: 1 },
    };
    expect(toYaml(a)).toBe(toYaml(b));
    expect(toYaml(a)).toBe(
      'apiVersion: v1\nkind: K\nmetadata:\n  name: x\n  labels: {}\nspec:\n  a: 2\n  z: 1\n',
    );
  });

  it('writes shared sub-objects out in full instead of as YAML anchors', () => {
    const pod = { containers: [{ name: 'pytorch' }] };
    const text = toYaml({ Master: pod, Worker: pod });
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual({ Master: pod, Worker: pod });
  });

  it('quotes strings that would read back as numbers or booleans, and drops undefined', () => {
    const text = toYaml({ gpu: '8', ib: '0', on: 'true', gone: undefined });
    expect(parse(text)).toEqual({ gpu: '8', ib: '0', on: 'true' });
    expect(text).not.toContain('gone');
  });

  it('never folds long lines', () => {
    const long = 'x '.repeat(200).trim();
    expect(toYaml({ long }).split('\n')).toHaveLength(2);
  });

  it('joins documents with ---', () => {
    expect(toYamlStream([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });
});

import { stringify } from 'yaml';

/** Keys that lead a mapping, in this order; every other key follows alphabetically. */
const LEADING_KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'name',
  'namespace',
  'labels',
  'annotations',
];

function keyRank(key: string): number {
  const index = LEADING_KEYS.indexOf(key);
  return index === -1 ? LEADING_KEYS.length : index;
}

function compareKeys(a: string, b: string): number {
  const byRank = keyRank(a) - keyRank(b);
  if (byRank !== 0) {
    return byRank;
  }
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/**
 * Serializes one value to YAML with a stable key order (Kubernetes' leading keys first, the
 * rest sorted), no anchors, no line folding and no undefined values, so the same input always
 * gives the same bytes whatever order the object was built in.
 * @public
 */
export function toYaml(value: unknown): string {
  return stringify(value, {
    sortMapEntries: (a, b) => compareKeys(String(a.key), String(b.key)),
    aliasDuplicateObjects: false,
    lineWidth: 0,
    indent: 2,
    indentSeq: true,
  });
}

/**
 * Serializes several objects as one multi-document YAML stream (`---` between documents).
 * @public
 */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

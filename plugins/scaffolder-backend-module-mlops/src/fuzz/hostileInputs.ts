import { pick } from './prng';

/** One fuzz case: a valid action input with exactly one field replaced by a hostile value. */
export interface FuzzCase {
  action: string;
  input: Record<string, unknown>;
  /** Dotted path of the replaced field, e.g. `values.nodes`. */
  field: string;
  value: unknown;
  /** The value can never be valid for the field, so the task must fail. */
  mustFail: boolean;
}

type FieldKind = 'path' | 'identifier' | 'text' | 'number' | 'boolean' | 'map';

const OWNER = 'group:default/ml-platform-team';
const SERVING_VALUES = {
  name: 'fuzz-serve',
  owner: OWNER,
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  modelUri: 's3://models/llama-3.1-8b-instruct',
  autoscaling: { minReplicas: 1, maxReplicas: 4 },
};

/** Valid inputs per action, and the kind of each field the fuzzer replaces. */
const ACTIONS: Array<{
  action: string;
  base: Record<string, unknown>;
  fields: Record<string, FieldKind>;
}> = [
  {
    action: 'mlops:training:render',
    base: {
      framework: 'pytorch',
      targetPath: 'out',
      values: {
        name: 'fuzz-train',
        owner: OWNER,
        namespace: 'ml-training',
        nodes: 2,
        gpusPerNode: 1,
        datasetUri: 's3://datasets/fuzz/',
      },
    },
    fields: {
      targetPath: 'path',
      framework: 'identifier',
      overwrite: 'boolean',
      values: 'map',
      'values.name': 'identifier',
      'values.namespace': 'identifier',
      'values.owner': 'text',
      'values.nodes': 'number',
      'values.gpusPerNode': 'number',
      'values.datasetUri': 'text',
    },
  },
  {
    action: 'mlops:serving:render',
    base: { targetPath: 'out', values: SERVING_VALUES },
    fields: {
      targetPath: 'path',
      values: 'map',
      'values.name': 'identifier',
      'values.model': 'identifier',
      'values.gpu': 'identifier',
      'values.tensorParallelSize': 'number',
      'values.modelUri': 'text',
      'values.autoscaling': 'map',
    },
  },
  {
    action: 'mlops:serving:plan',
    base: { values: SERVING_VALUES },
    fields: {
      values: 'map',
      'values.model': 'identifier',
      'values.gpu': 'identifier',
      'values.tensorParallelSize': 'number',
      'values.maxModelLen': 'number',
    },
  },
  {
    action: 'mlops:manifests:validate',
    base: { path: 'deploy', namespace: 'ml-serving' },
    fields: {
      path: 'path',
      namespace: 'identifier',
      serverDryRun: 'boolean',
    },
  },
  {
    action: 'mlops:publish:local',
    base: { repoName: 'fuzz-repo', sourcePath: '.' },
    fields: {
      repoName: 'identifier',
      sourcePath: 'path',
      defaultBranch: 'identifier',
      gitAuthorName: 'text',
      gitAuthorEmail: 'text',
      gitCommitMessage: 'text',
    },
  },
];

/** The valid input the cases of `action` start from. */
export function validInput(action: string): Record<string, unknown> {
  return structuredClone(ACTIONS.find(a => a.action === action)!.base);
}

/** Strings that must never pass as a path, with `outside` an absolute directory beside the workspace. */
const hostilePaths = (outside: string) => [
  '../outside/pwned',
  '../../../../../../outside/pwned',
  'out/../../pwned',
  `${outside}/pwned`,
  '/etc',
  '..',
  'out\u0000/pwned',
  '..\\..\\pwned',
];

/** Strings that no identifier (DNS names, enums, repo and branch names) accepts. */
const HOSTILE_STRINGS = [
  'a\u0000b',
  '$(touch pwned)',
  '`touch pwned`',
  '; touch pwned #',
  'a: b\n- c: [',
  '*alias',
  '&anchor x',
  '!!js/function "x"',
  '{{ 7*7 }}',
  '${{ 7*7 }}',
  '\u202eevil\u200b',
  'Ünïcödé-名前',
  '😀😀😀',
  '\'"\\',
  '--upload-pack=touch pwned',
  '-rf',
  'x'.repeat(100_000),
  '',
  ' ',
  '../x',
];

const WRONG_TYPES: unknown[] = [null, true, 42, [], ['a'], { $ne: 1 }];
const HOSTILE_NUMBERS: unknown[] = [
  -1,
  0,
  1e308,
  2 ** 53 + 1,
  1.5,
  -1e-300,
  'NaN',
  'Infinity',
  '8',
];

function setField(
  base: Record<string, unknown>,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = field.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]] = value;
  return copy;
}

/** A hostile value for a field of the given kind, and whether it can never be valid there. */
function hostileValue(
  random: () => number,
  kind: FieldKind,
  outside: string,
): { value: unknown; mustFail: boolean } {
  const roll = random();
  if (roll < 0.2) {
    const value = pick(random, WRONG_TYPES);
    // An object is a valid `values` map; every other wrong type is refused.
    const valid =
      kind === 'map' && typeof value === 'object' && !Array.isArray(value);
    return { value, mustFail: !valid && value !== null };
  }
  switch (kind) {
    case 'path':
      return { value: pick(random, hostilePaths(outside)), mustFail: true };
    case 'number':
      return { value: pick(random, HOSTILE_NUMBERS), mustFail: false };
    case 'boolean':
      return { value: pick(random, HOSTILE_STRINGS), mustFail: true };
    case 'map':
      return { value: pick(random, HOSTILE_STRINGS), mustFail: true };
    case 'identifier':
      return { value: pick(random, HOSTILE_STRINGS), mustFail: true };
    default:
      return {
        value: pick(random, [...HOSTILE_STRINGS, ...hostilePaths(outside)]),
        mustFail: false,
      };
  }
}

/** `count` cases from a seeded PRNG: the same seed gives the same cases. */
export function hostileCases(
  random: () => number,
  count: number,
  outside: string,
): FuzzCase[] {
  return Array.from({ length: count }, () => {
    const { action, base, fields } = pick(random, ACTIONS);
    const field = pick(random, Object.keys(fields));
    const { value, mustFail } = hostileValue(random, fields[field], outside);
    return {
      action,
      input: setField(base, field, value),
      field,
      value,
      mustFail,
    };
  });
}

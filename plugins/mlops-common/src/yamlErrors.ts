/**
 * Messages for YAML parse errors that name the place, never the text. The yaml library's own
 * messages end in a code frame that quotes the offending line, and some quote an alias or tag:
 * a manifest line such as `password: …` would reach the reconcile record and the status API.
 */

/** What each of the yaml library's error codes means, in our words. */
const YAML_ERROR_CODES: Record<string, string> = {
  ALIAS_PROPS: 'an alias carries an anchor or tag',
  BAD_ALIAS: 'an alias that is not defined before it is used',
  BAD_COLLECTION_TYPE: 'a collection of the wrong type for its tag',
  BAD_DIRECTIVE: 'a malformed directive',
  BAD_DQ_ESCAPE: 'a bad escape in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'anchor and tag in the wrong order',
  BAD_SCALAR_START: 'a plain value starting with a reserved character',
  BLOCK_AS_IMPLICIT_KEY: 'a nested mapping in a compact mapping',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection',
  DUPLICATE_KEY: 'a key that appears twice in one mapping',
  IMPOSSIBLE: 'an internal parser error',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'a missing closing character',
  MULTILINE_IMPLICIT_KEY: 'an implicit key spanning several lines',
  MULTIPLE_ANCHORS: 'several anchors on one node',
  MULTIPLE_DOCS: 'several documents where one was expected',
  MULTIPLE_TAGS: 'several tags on one node',
  NON_STRING_KEY: 'a key that is not a string',
  TAB_AS_INDENT: 'a tab used for indentation',
  TAG_RESOLVE_FAILED: 'a value that does not match its tag',
  UNEXPECTED_TOKEN: 'an unexpected token',
};

/** What describeYamlError reads of a `yaml` parse error. @public */
export interface YamlErrorLike {
  code?: string;
  linePos?: [{ line: number; col: number }, ...unknown[]];
}

/** `at line 6, column 13: a nested mapping in a compact mapping (BLOCK_AS_IMPLICIT_KEY)`. @public */
export function describeYamlError(error: YamlErrorLike): string {
  const code = typeof error.code === 'string' ? error.code : 'UNKNOWN';
  const what = YAML_ERROR_CODES[code] ?? 'a syntax error';
  const start = error.linePos?.[0];
  const where = start ? `at line ${start.line}, column ${start.col}: ` : '';
  return `${where}${what} (${code})`;
}

/** A failure of turning a parsed document into data (alias expansion), without its text. @public */
export function describeYamlConversionError(error: unknown): string {
  // Duck-typed: under jest the library's errors come from another realm.
  const message = String((error as { message?: unknown })?.message ?? '');
  return /alias count|resource exhaustion/i.test(message)
    ? 'too many alias expansions (a resource exhaustion attack)'
    : 'the document could not be converted to data';
}

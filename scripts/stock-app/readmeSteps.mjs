// The install steps of the plugin READMEs, as the stock-app install test applies them. A step
// is a fenced code block right after an HTML comment that says what to do with it, so the
// README a platform engineer follows and the steps the test runs are one text:
//
//   <!-- stock-app: run -->                      a shell block, run from the app's root
//   <!-- stock-app: insert <file> before <line> -->  a block inserted into <file> above <line>
//   <!-- stock-app: config -->                   a YAML block, added to the app's config
//
// Blocks without such a comment are documentation only (legacy frontend, custom policies).

const MARKER =
  /^<!--\s*stock-app:\s*(run|config|insert\s+(\S+)\s+before\s+(.+?))\s*-->\s*$/;
const FENCE = /^```(\w*)\s*$/;

/** Parses one README into its install steps, in order. Throws on a marker without a block. */
export function readmeSteps(markdown, source = 'README.md') {
  const lines = markdown.split('\n');
  const steps = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i].trim());
    if (!marker) continue;
    let open = i + 1;
    while (open < lines.length && lines[open].trim() === '') open++;
    const fence = FENCE.exec(lines[open]?.trim() ?? '');
    if (!fence) {
      throw new Error(
        `${source}:${i + 1}: stock-app marker without a code block after it`,
      );
    }
    const close = lines.findIndex((l, n) => n > open && l.trim() === '```');
    if (close < 0)
      throw new Error(`${source}:${open + 1}: code block never closed`);
    const body = lines.slice(open + 1, close).join('\n');
    const where = `${source}:${open + 1}`;
    if (marker[1] === 'run') steps.push({ kind: 'run', body, where });
    else if (marker[1] === 'config')
      steps.push({ kind: 'config', body, where });
    else {
      steps.push({
        kind: 'insert',
        file: marker[2],
        before: marker[3].replace(/^"(.*)"$/, '$1'),
        body,
        where,
      });
    }
    i = close;
  }
  return steps;
}

/** The commands of a `run` block: one per line, without comments and blank lines. */
export function shellCommands(body) {
  return body
    .split('\n')
    .map(line => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

/** `text` with `block` placed on the lines above the first line equal to `before`. */
export function insertBefore(text, before, block, file) {
  const lines = text.split('\n');
  const at = lines.findIndex(line => line.trim() === before.trim());
  if (at < 0) throw new Error(`${file}: no line "${before}" to insert above`);
  const indent = lines[at].match(/^\s*/)[0];
  const inserted = block.split('\n').map(l => (l ? indent + l : l));
  return [...lines.slice(0, at), ...inserted, '', ...lines.slice(at)].join(
    '\n',
  );
}

/**
 * How deeply a YAML text nests collections, estimated without parsing it: flow collections
 * (`[` and `{`) across the whole text, and compact block collections on one line (`- - - x`).
 * Parsing a few thousand levels takes the yaml library seconds and hundreds of MB before it gives
 * up, so a hostile file is measured first. Brackets inside quoted strings count as well; the
 * estimate can only be too high, which matters only for texts near the limit.
 * @public
 */
export function yamlNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth -= 1;
    }
  }
  for (const match of text.matchAll(/^[ \t]*(?:[-?][ \t]+)+/gm)) {
    const entries = match[0].replace(/[ \t]/g, '').length;
    if (entries > deepest) deepest = entries;
  }
  return deepest;
}

/** Deeper than any Kubernetes object needs (a Deployment nests about 12 levels). @public */
export const MAX_YAML_NESTING = 64;

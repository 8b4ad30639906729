/**
 * A small protobuf text-format parser for tests (no npm package parses it with list syntax:
 * protobufjs reads .proto files and JSON, not text format; `prototxt-parser` rejects
 * `[ 16, 64 ]`). It follows the text-format grammar: a tokenizer for identifiers, numbers,
 * strings with C escapes, punctuation and # comments, then a recursive-descent parser.
 * Every field maps to the list of its values, since any field may be repeated.
 */

type Token =
  | { kind: 'ident'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'punct'; value: string; offset: number }
  | { kind: 'eof'; offset: number };

/** An enum identifier, kept apart from strings. */
export class EnumValue {
  constructor(readonly name: string) {}
}

export type TextValue = string | number | boolean | EnumValue | TextMessage;
export interface TextMessage {
  [field: string]: TextValue[];
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  "'": "'",
  '\\': '\\',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '?': '?',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i])) i++;
      tokens.push({
        kind: 'ident',
        value: text.slice(start, i),
        offset: start,
      });
    } else if (/[-+0-9.]/.test(c)) {
      const start = i;
      i++;
      while (
        i < text.length &&
        (/[0-9A-Za-z.]/.test(text[i]) ||
          (/[+-]/.test(text[i]) && /[eE]/.test(text[i - 1])))
      ) {
        i++;
      }
      const raw = text.slice(start, i).replace(/[fF]$/, '');
      const value = /^[-+]?0x/i.test(raw) ? parseInt(raw, 16) : Number(raw);
      if (!Number.isFinite(value))
        throw new SyntaxError(`bad number "${raw}" at ${start}`);
      tokens.push({ kind: 'number', value, offset: start });
    } else if (c === '"' || c === "'") {
      const start = i;
      const bytes: number[] = [];
      i++;
      while (text[i] !== c) {
        if (i >= text.length || text[i] === '\n')
          throw new SyntaxError(`unterminated string at ${start}`);
        if (text[i] === '\\') {
          const e = text[i + 1];
          if (/[0-7]/.test(e)) {
            const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
            bytes.push(parseInt(oct, 8));
            i += 1 + oct.length;
          } else if (e === 'x') {
            const hex = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2))![0];
            bytes.push(parseInt(hex, 16));
            i += 2 + hex.length;
          } else if (e in ESCAPES) {
            bytes.push(ESCAPES[e].charCodeAt(0));
            i += 2;
          } else {
            throw new SyntaxError(`bad escape \\${e} at ${i}`);
          }
        } else {
          bytes.push(...new TextEncoder().encode(text[i]));
          i++;
        }
      }
      i++;
      tokens.push({
        kind: 'string',
        value: new TextDecoder().decode(new Uint8Array(bytes)),
        offset: start,
      });
    } else if ('{}[]:,;<>'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, offset: i });
      i++;
    } else {
      throw new SyntaxError(
        `unexpected character ${JSON.stringify(c)} at ${i}`,
      );
    }
  }
  tokens.push({ kind: 'eof', offset: text.length });
  return tokens;
}

/** Parses protobuf text format into nested messages (field → values). */
export function parseTextProto(text: string): TextMessage {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isPunct = (v: string) => {
    const t = peek();
    return t.kind === 'punct' && t.value === v;
  };
  const expect = (v: string) => {
    if (!isPunct(v)) {
      throw new SyntaxError(
        `expected "${v}" at ${peek().offset}, got ${JSON.stringify(peek())}`,
      );
    }
    pos++;
  };

  function message(close?: string): TextMessage {
    const out: TextMessage = {};
    for (;;) {
      const t = peek();
      if (close ? isPunct(close) : t.kind === 'eof') break;
      if (t.kind !== 'ident')
        throw new SyntaxError(`expected a field name at ${t.offset}`);
      pos++;
      const values = (out[t.value] ??= []);
      const colon = isPunct(':');
      if (colon) pos++;
      if (isPunct('[')) {
        pos++;
        while (!isPunct(']')) {
          values.push(value(colon));
          if (isPunct(',')) pos++;
          else break;
        }
        expect(']');
      } else {
        values.push(value(colon));
      }
      if (isPunct(',') || isPunct(';')) pos++;
    }
    if (close) expect(close);
    return out;
  }

  function value(afterColon: boolean): TextValue {
    if (isPunct('{')) {
      pos++;
      return message('}');
    }
    if (isPunct('<')) {
      pos++;
      return message('>');
    }
    if (!afterColon)
      throw new SyntaxError(`scalar without ":" at ${peek().offset}`);
    const t = peek();
    pos++;
    switch (t.kind) {
      case 'string': {
        let s = t.value;
        // Adjacent string literals concatenate.
        while (peek().kind === 'string')
          s += (tokens[pos++] as { value: string }).value;
        return s;
      }
      case 'number':
        return t.value;
      case 'ident':
        if (t.value === 'true' || t.value === 'True') return true;
        if (t.value === 'false' || t.value === 'False') return false;
        return new EnumValue(t.value);
      default:
        throw new SyntaxError(`expected a value at ${t.offset}`);
    }
  }

  return message();
}

/**
 * A writer for protobuf text format (the syntax of Triton's config.pbtxt), from a typed value
 * tree instead of string templates, so quoting and nesting cannot go wrong.
 */

/** An enum value such as KIND_GPU, written bare. @public */
export class PbEnum {
  constructor(readonly name: string) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new RangeError(`not an enum identifier: ${JSON.stringify(name)}`);
    }
  }
}

/** Repeated message entries written as separate blocks (`field { … }` per entry), as Triton's docs write `parameters`. @public */
export class PbBlocks {
  constructor(readonly messages: PbMessage[]) {}
}

/** @public */
export type PbScalar = string | number | boolean | PbEnum;
/** @public */
export type PbValue =
  | PbScalar
  | PbMessage
  | PbScalar[]
  | PbMessage[]
  | PbBlocks;
/** Fields in the order they are written; undefined fields are skipped. @public */
export interface PbMessage {
  [field: string]: PbValue | undefined;
}

function scalar(value: PbScalar): string {
  if (value instanceof PbEnum) return value.name;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  // Text format strings: C-style escapes; JSON's escaping is a subset that parsers accept.
  return JSON.stringify(value).replace(/[\u007f-\u{10ffff}]/gu, c =>
    Array.from(new TextEncoder().encode(c))
      .map(b => `\\${b.toString(8).padStart(3, '0')}`)
      .join(''),
  );
}

function isMessage(value: unknown): value is PbMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof PbEnum) &&
    !(value instanceof PbBlocks)
  );
}

function fieldName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new RangeError(`not a field name: ${JSON.stringify(name)}`);
  }
  return name;
}

function writeMessage(message: PbMessage, indent: string): string[] {
  const lines: string[] = [];
  for (const [rawName, value] of Object.entries(message)) {
    if (value === undefined) continue;
    const name = fieldName(rawName);
    if (value instanceof PbBlocks) {
      for (const entry of value.messages) {
        lines.push(
          `${indent}${name} {`,
          ...writeMessage(entry, `${indent}  `),
          `${indent}}`,
        );
      }
    } else if (Array.isArray(value)) {
      if (value.length > 0 && isMessage(value[0])) {
        lines.push(`${indent}${name} [`);
        (value as PbMessage[]).forEach((entry, i) => {
          lines.push(
            `${indent}  {`,
            ...writeMessage(entry, `${indent}    `),
            `${indent}  }${i < value.length - 1 ? ',' : ''}`,
          );
        });
        lines.push(`${indent}]`);
      } else {
        lines.push(
          `${indent}${name}: [ ${(value as PbScalar[])
            .map(scalar)
            .join(', ')} ]`,
        );
      }
    } else if (isMessage(value)) {
      lines.push(
        `${indent}${name} {`,
        ...writeMessage(value, `${indent}  `),
        `${indent}}`,
      );
    } else {
      lines.push(`${indent}${name}: ${scalar(value)}`);
    }
  }
  return lines;
}

/** Serializes a message tree to protobuf text format. @public */
export function toPbtxt(message: PbMessage, header: string[] = []): string {
  return `${[...header.map(h => `# ${h}`), ...writeMessage(message, '')].join(
    '\n',
  )}\n`;
}

import { z, type ZodError, type ZodType, type ZodTypeDef } from 'zod';

/** Shows a refused value in a message: JSON-quoted, control characters escaped, long values cut. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60
    ? `${text.slice(0, 57)}..." (${text.length} characters)`
    : text;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A DNS-1123 label (Kubernetes object and namespace names): lower-case letters, digits and
 * "-", starting and ending with a letter or digit, at most `max` characters.
 * @public
 */
export function dnsLabel(max = 63) {
  return z.string().refine(
    v => v.length <= max && DNS1123_LABEL.test(v),
    v => ({
      message: `must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most ${max} characters (got ${describeValue(
        v,
      )})`,
    }),
  );
}

/** An integer in [min, max]. @public */
export function boundedInt(min: number, max: number) {
  return z.preprocess(
    v => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z.unknown().superRefine((v, ctx) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a whole number from ${min} to ${max} (got ${describeValue(
            v,
          )})`,
        });
      }
    }),
  ) as unknown as ZodType<number, ZodTypeDef, number | string>;
}

// Registry host (optional port), repository path components, tag and/or sha256 digest,
// as in github.com/distribution/reference.
const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/**
 * A container image reference such as `pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime` or
 * `registry.example.com:5000/team/train@sha256:…`.
 * @public
 */
export function imageReference() {
  return z.string().refine(
    v => v.length <= 255 && IMAGE_REFERENCE.test(v),
    v => ({
      message: `must be a container image reference such as "registry.example.com/team/image:tag" (lower-case repository, optional tag or @sha256 digest, at most 255 characters; got ${describeValue(
        v,
      )})`,
    }),
  );
}

const S3_URI =
  /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/[A-Za-z0-9._=+-]+)*\/?$/;

/**
 * An S3 URI `s3://bucket/prefix`: a valid bucket name, and key segments of letters, digits
 * and `._=+-` (no `..`, spaces, quotes or shell metacharacters).
 * @public
 */
export function s3Uri() {
  return z.string().refine(
    v =>
      v.length <= 1024 &&
      S3_URI.test(v) &&
      !v
        .slice(5)
        .split('/')
        .some(s => s === '..' || s === '.'),
    v => ({
      message: `must be an S3 URI "s3://bucket/prefix" (bucket: 3-63 lower-case letters, digits, "." and "-"; key: letters, digits and "._=+-" separated by "/"; got ${describeValue(
        v,
      )})`,
    }),
  );
}

const HF_URI =
  /^hf:\/\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** A model location for an initializer: an S3 URI or a Hugging Face `hf://org/model`. @public */
export function modelUri() {
  return z.string().refine(
    v => v.length <= 1024 && (HF_URI.test(v) || s3Uri().safeParse(v).success),
    v => ({
      message: `must be "hf://org/model" or an S3 URI "s3://bucket/prefix" (got ${describeValue(
        v,
      )})`,
    }),
  );
}

const QUANTITY = /^[0-9]+(?:\.[0-9]+)?(?:m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** A Kubernetes resource quantity such as `8`, `500m`, `64Gi`. @public */
export function quantity() {
  return z.string().refine(
    v => v.length <= 20 && QUANTITY.test(v) && !/^0+(\.0+)?[a-zA-Z]*$/.test(v),
    v => ({
      message: `must be a positive Kubernetes quantity such as "8", "500m", "64Gi" (got ${describeValue(
        v,
      )})`,
    }),
  );
}

const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** A Kubernetes label value: at most 63 letters, digits, `-_.`, alphanumeric at both ends. @public */
export function labelValue() {
  return z.string().refine(
    v => v.length <= 63 && LABEL_VALUE.test(v),
    v => ({
      message: `must be a Kubernetes label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (got ${describeValue(
        v,
      )})`,
    }),
  );
}

// Letters of any script, digits, spaces and plain punctuation; nothing a shell, YAML, Markdown
// or a Dockerfile would interpret (no quotes, $, `, ;, |, &, <, >, {, }, #, :, newlines).
const PLAIN_TEXT = /^[\p{L}\p{N} .,()_+/-]*$/u;

/** Free text shown in the catalog and README: plain words and punctuation, at most `max` characters. @public */
export function plainText(max: number) {
  return z.string().refine(
    v => v.length <= max && PLAIN_TEXT.test(v),
    v => ({
      message: `must be plain text of at most ${max} characters: letters, digits, spaces and . , ( ) _ + / - (no quotes, newlines or characters such as $ \` ; | & < > { } # :; got ${describeValue(
        v,
      )})`,
    }),
  );
}

const ENTITY_REF =
  /^(?:(?:component|group|user|system|resource|domain|api):)?(?:[a-z0-9]([-a-z0-9_.]*[a-z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/i;

/** A catalog entity reference such as `group:default/ml-platform` or `ml-platform`. @public */
export function entityRef() {
  return z.string().refine(
    v => v.length <= 253 && ENTITY_REF.test(v),
    v => ({
      message: `must be a catalog entity reference such as "group:default/ml-platform" or "ml-platform" (got ${describeValue(
        v,
      )})`,
    }),
  );
}

/** One problem of an input spec: the field (dotted path) and what is accepted there. @public */
export interface SpecProblem {
  field: string;
  message: string;
}

/** Thrown by the `parse…Spec` functions; `problems` holds every problem found. @public */
export class SpecValidationError extends Error {
  readonly problems: SpecProblem[];
  constructor(what: string, problems: SpecProblem[]) {
    super(
      `invalid ${what}:\n${problems
        .map(p => `  - ${p.field}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'SpecValidationError';
    this.problems = problems;
  }
}

/** Turns zod issues into problems that name their field. @public */
export function specProblemsOf(error: ZodError): SpecProblem[] {
  return error.issues.map(issue => {
    const field = issue.path.join('.') || '(input)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys
        .map(k => describeValue(k))
        .join(', ')}; remove them or check their spelling`;
    } else if (issue.code === 'invalid_type') {
      message =
        issue.received === 'undefined'
          ? `is required (expected a ${issue.expected})`
          : `must be a ${issue.expected} (got a ${issue.received})`;
    } else if (issue.code === 'invalid_enum_value') {
      message = `must be one of ${issue.options
        .map(o => JSON.stringify(o))
        .join(', ')} (got ${describeValue(issue.received)})`;
    }
    return { field, message };
  });
}

/** Parses `input` with `schema`, throwing a {@link SpecValidationError} that lists every problem. @public */
export function parseWith<T>(
  schema: ZodType<T, ZodTypeDef, unknown>,
  what: string,
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new SpecValidationError(what, specProblemsOf(result.error));
  }
  return result.data;
}

/**
 * Values from a manifest as they may appear in a refusal message: plain identifiers (names,
 * kinds, versions) are shown, anything else is described by its length, so no message carries
 * free text out of a repository into the reconcile record and the status API.
 */

const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,252}$/;
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const API_VERSION = /^([a-z0-9][a-z0-9.-]{0,252}\/)?v[0-9][a-z0-9]{0,15}$/;

const described = (value: unknown) =>
  `(a value that is not a plain name, ${
    typeof value === 'string' ? `${value.length} characters` : typeof value
  })`;

/** `"value"` for a plain identifier, else a description without the value. @public */
export function quoteToken(value: unknown): string {
  return typeof value === 'string' && SAFE_TOKEN.test(value)
    ? `"${value}"`
    : described(value);
}

/** A kind such as `Deployment`, bare, or its description. @public */
export function kindToken(value: unknown): string {
  return typeof value === 'string' && KIND.test(value)
    ? value
    : described(value);
}

/** An apiVersion such as `apps/v1`, bare, or its description. @public */
export function apiVersionToken(value: unknown): string {
  return typeof value === 'string' && API_VERSION.test(value)
    ? value
    : described(value);
}

/**
 * An API server's answer: the status and the body, parsed as JSON when it is JSON.
 *
 * @public
 */
export interface KubeResponse {
  status: number;
  body: any;
}

/**
 * Why a request failed, in the terms a reconciler acts on.
 *
 * @public
 */
export type KubeErrorKind =
  | 'conflict'
  | 'invalid'
  | 'forbidden'
  | 'not-found'
  | 'transient'
  /** Connected, but no answer in time (e.g. etcd down behind the API server): not retried. */
  | 'timeout';

/**
 * A failed request to the API server, classified; `status` is 0 when none answered.
 *
 * @public
 */
export class KubeRequestError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

/**
 * The kind of failure an answer with a non-2xx status reports.
 *
 * @public
 */
export function classifyFailure(res: KubeResponse): KubeErrorKind {
  const message: string = res.body?.message ?? '';
  if (res.status === 409) return 'conflict';
  if (res.status === 422 || res.status === 400) return 'invalid';
  // Server-side apply reports schema type errors as a 500 from building the typed patch.
  if (
    res.status === 500 &&
    message.includes('failed to create typed patch object')
  )
    return 'invalid';
  if (res.status === 403 || res.status === 401) return 'forbidden';
  if (res.status === 404) return 'not-found';
  return 'transient';
}

/**
 * The API server's own reason for a failed answer, or its text when it sent no Status.
 *
 * @public
 */
export function failureMessage(res: KubeResponse): string {
  if (typeof res.body === 'object' && res.body?.message) {
    return String(res.body.message);
  }
  if (typeof res.body === 'string' && res.body.trim()) {
    return res.body.trim();
  }
  return `HTTP ${res.status}`;
}

/**
 * The body of a 2xx answer; any other answer throws a classified `KubeRequestError`.
 *
 * @public
 */
export function expectOk(res: KubeResponse, what: string): any {
  if (res.status >= 200 && res.status < 300) return res.body;
  throw new KubeRequestError(
    classifyFailure(res),
    res.status,
    `${what}: ${failureMessage(res)}`,
  );
}

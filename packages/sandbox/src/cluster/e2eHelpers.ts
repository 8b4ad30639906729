import { rawRequest, serverSideApply } from '../rawApi';
import { objectPath } from './kubeClient';
import type { SandboxStack } from './stack';

/** Server-side applies plain objects as the admin (field manager `e2e-test`). */
export async function applyAll(stack: SandboxStack, objects: any[]) {
  for (const o of objects) {
    const p = objectPath(
      o.apiVersion,
      `${o.kind.toLowerCase()}s`,
      o.metadata.namespace,
      o.metadata.name,
    );
    const res = await serverSideApply(
      stack.controlPlane.adminKubeConfig,
      p,
      o,
      {
        fieldManager: 'e2e-test',
      },
    );
    if (res.status >= 300) {
      throw new Error(
        `applying ${o.kind} ${o.metadata.name} failed (${res.status}): ${res.body?.message}`,
      );
    }
  }
}

/** GET as the admin; the parsed body (a Status object on errors). */
export async function getObject(stack: SandboxStack, path: string) {
  return (await rawRequest(stack.controlPlane.adminKubeConfig, 'GET', path))
    .body;
}

/** Polls `check` until it returns a value, at most `timeoutMs`; the last error explains a timeout. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

// Shared by the smoke tests: calls to the real backend as the signed-in guest, polling, and
// the scaffolder's dry-run with a template from the scaffolder module's templates/.
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { eventually as retry, repoRoot } from '@mlops-plugins/test-support';

/** `session()` returns the current `{ baseUrl, token }` (set once the backend is up). */
export function backstageClient(session) {
  async function api(urlPath, init = {}) {
    const { baseUrl, token } = session();
    const res = await fetch(`${baseUrl}${urlPath}`, {
      ...init,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
    });
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) };
    } catch {
      return { status: res.status, body: text };
    }
  }

  async function dryRun(name, values) {
    return api('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: JSON.stringify({
        template: await readTemplate(name),
        values,
        secrets: {},
        directoryContents: [],
      }),
    });
  }

  return { api, dryRun };
}

export async function readTemplate(name) {
  return yaml.parse(
    await fs.readFile(
      path.join(
        repoRoot,
        'plugins/scaffolder-backend-module-mlops/templates',
        name,
        'template.yaml',
      ),
      'utf8',
    ),
  );
}

/** Retries `fn` once a second until it stops throwing or `timeoutMs` passes. */
export const eventually = (what, fn, timeoutMs = 90_000) =>
  retry(what, fn, timeoutMs);

/** The files of a dry-run response, path → text. */
export function filesOf(body) {
  return Object.fromEntries(
    (body.directoryContents ?? []).map(f => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString('utf8'),
    ]),
  );
}

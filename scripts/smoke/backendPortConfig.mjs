// The app-config file that puts a backend on a free 127.0.0.1 port.
import fs from 'node:fs/promises';
import { freePort } from './freePort.mjs';

/** Writes `file`; `cors` also allows the backend's own origin. Returns `{ port, baseUrl }`. */
export async function writeBackendPortConfig(file, { cors = false } = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  await fs.writeFile(
    file,
    [
      'app:',
      `  baseUrl: ${baseUrl}`,
      'backend:',
      `  baseUrl: ${baseUrl}`,
      '  listen:',
      `    port: ${port}`,
      '    host: 127.0.0.1',
      ...(cors ? ['  cors:', `    origin: ${baseUrl}`] : []),
      '',
    ].join('\n'),
  );
  return { port, baseUrl };
}

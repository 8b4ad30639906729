import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** Status code of a GET, or undefined when nothing answers. */
export function probe(url: string, ca?: Buffer): Promise<number | undefined> {
  return new Promise(resolve => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { ca, timeout: 2000 }, res => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
  });
}

/**
 * Polls until `url` answers 200. Fails early when `alive()` turns false, with `describe()`
 * (typically the process log) in the message.
 */
export async function waitForOk(
  url: string,
  options: {
    timeoutMs: number;
    caFile?: string;
    alive: () => boolean;
    describe: () => string;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (!options.alive()) {
      throw new Error(
        `process exited before ${url} was ready:\n${options.describe()}`,
      );
    }
    const ca =
      options.caFile && fs.existsSync(options.caFile)
        ? fs.readFileSync(options.caFile)
        : undefined;
    if ((!options.caFile || ca) && (await probe(url, ca)) === 200) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${url} not ready after ${
          options.timeoutMs
        } ms:\n${options.describe()}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

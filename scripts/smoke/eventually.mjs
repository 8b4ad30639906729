/** Retries `fn` every `everyMs` until it returns without throwing or `timeoutMs` passes. */
export async function eventually(what, fn, timeoutMs, everyMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms: ${last?.message}`);
}

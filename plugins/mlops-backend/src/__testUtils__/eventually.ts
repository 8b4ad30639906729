/** Polls `fn` every 100 ms until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  fn: () =>
    | T
    | undefined
    | null
    | false
    | Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

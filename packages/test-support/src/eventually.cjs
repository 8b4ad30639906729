'use strict';

const { inspect } = require('node:util');

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_EVERY_MS = 1000;

/** `(what, fn, 60_000, 500)` and `(what, fn, { timeoutMs: 60_000, everyMs: 500 })` are the same. */
function pollOptions(what, timeoutOrOptions, everyMs) {
  const options =
    typeof timeoutOrOptions === 'number'
      ? { timeoutMs: timeoutOrOptions, everyMs }
      : { ...timeoutOrOptions };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const every = options.everyMs ?? DEFAULT_EVERY_MS;
  const attempts = options.attempts ?? Infinity;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(
      `${what}: timeoutMs must be a positive number of milliseconds (got ${timeoutMs})`,
    );
  }
  if (!Number.isFinite(every) || every < 0) {
    throw new TypeError(
      `${what}: everyMs must be zero or more milliseconds (got ${every})`,
    );
  }
  if (
    !(attempts === Infinity || (Number.isInteger(attempts) && attempts > 0))
  ) {
    throw new TypeError(
      `${what}: attempts must be a whole number from 1 (got ${attempts})`,
    );
  }
  return { timeoutMs, everyMs: every, attempts };
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Settles `attempt()` or, if it is still pending at `deadline`, fails it: a hung call must not
 * stretch the bound.
 */
function beforeDeadline(attempt, deadline, n) {
  let timer;
  const late = new Promise(resolve => {
    timer = setTimeout(
      () =>
        resolve({
          done: false,
          reason: new Error(`attempt ${n} still running at the deadline`),
        }),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([Promise.resolve().then(attempt), late]).finally(() =>
    clearTimeout(timer),
  );
}

/** Runs `attempt` until it reports done, or the attempts or the time run out. */
async function poll(what, attempt, options) {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let last;
  let n = 0;
  for (;;) {
    n++;
    const outcome = await beforeDeadline(attempt, deadline, n);
    if (outcome.done) return outcome.value;
    last = outcome.reason;
    if (n >= options.attempts || Date.now() + options.everyMs >= deadline) {
      break;
    }
    await sleep(options.everyMs);
  }
  const bound =
    n >= options.attempts
      ? `not after ${n} attempt(s)`
      : `not within ${options.timeoutMs} ms`;
  const cause = last instanceof Error ? last.message : String(last);
  throw new Error(
    `${what}: ${bound} (${n} attempt(s) in ${
      Date.now() - started
    } ms); last: ${cause}`,
    { cause: last },
  );
}

/**
 * Calls `fn` until it returns without throwing and resolves to what it returned; retries every
 * `everyMs` (default 1 s), at most `attempts` times (default unbounded) and `timeoutMs` in all
 * (default 60 s), then rejects with `what` and the last error.
 */
async function eventually(what, fn, timeoutOrOptions, everyMs) {
  const options = pollOptions(what, timeoutOrOptions, everyMs);
  return poll(
    what,
    async () => {
      try {
        return { done: true, value: await fn() };
      } catch (error) {
        return { done: false, reason: error };
      }
    },
    options,
  );
}

/**
 * Calls `fn` until it returns a truthy value and resolves to it, within the same bounds as
 * `eventually`. A throw ends the wait at once: a condition that can no longer come true (the
 * process it waits for exited) says so by throwing.
 */
async function waitUntil(what, fn, timeoutOrOptions, everyMs) {
  const options = pollOptions(what, timeoutOrOptions, everyMs);
  return poll(
    what,
    async () => {
      const value = await fn();
      return value
        ? { done: true, value }
        : { done: false, reason: `returned ${inspect(value)}` };
    },
    options,
  );
}

module.exports = { eventually, waitUntil };

'use strict';

const { spawn } = require('node:child_process');

/**
 * Runs `command` to completion within `timeoutMs` and resolves to its output (stdout and stderr
 * interleaved); rejects with that output when it exits non-zero, cannot start or overruns (then
 * it gets SIGTERM). `env` is added to this process's environment; `input` goes to its stdin.
 */
function runCommand(command, args, { timeoutMs, cwd, env, input }) {
  return new Promise((resolve, reject) => {
    const line = [command, ...args].join(' ');
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${line}: no exit after ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('error', error => {
      clearTimeout(timer);
      reject(new Error(`${line}: ${error.message}\n${output}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${line} exited ${code ?? signal}\n${output}`));
    });
  });
}

module.exports = { runCommand };

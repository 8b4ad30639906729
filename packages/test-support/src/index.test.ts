import net from 'node:net';
import {
  eventually,
  freePort,
  repoRoot,
  runCommand,
  waitUntil,
} from '@mlops-plugins/test-support';
import fs from 'node:fs';
import path from 'node:path';

describe('freePort', () => {
  it('gives a port that 127.0.0.1 can listen on next', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.on('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect((server.address() as net.AddressInfo).port).toBe(port);
    await new Promise(resolve => server.close(resolve));
  });
});

describe('eventually', () => {
  it('retries a throwing call until it returns, and resolves to its value', async () => {
    let calls = 0;
    const value = await eventually(
      'third call',
      () => {
        calls++;
        if (calls < 3) throw new Error(`call ${calls}`);
        return calls;
      },
      { everyMs: 1 },
    );
    expect(value).toBe(3);
  });

  it('stops after `attempts` calls, naming the last error', async () => {
    let calls = 0;
    await expect(
      eventually(
        'never',
        async () => {
          calls++;
          throw new Error(`call ${calls}`);
        },
        { attempts: 4, everyMs: 1, timeoutMs: 60_000 },
      ),
    ).rejects.toThrow(/^never: not after 4 attempt\(s\) .*last: call 4$/);
    expect(calls).toBe(4);
  });

  it('stops at `timeoutMs` even while a call hangs', async () => {
    const started = Date.now();
    await expect(
      eventually('hung', () => new Promise(() => {}), 300),
    ).rejects.toThrow(
      /^hung: not within 300 ms .*attempt 1 still running at the deadline/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses bounds that are not numbers of milliseconds or attempts', async () => {
    await expect(
      eventually('x', () => 1, { timeoutMs: Infinity }),
    ).rejects.toThrow(
      'x: timeoutMs must be a positive number of milliseconds (got Infinity)',
    );
    await expect(eventually('x', () => 1, { attempts: 0 })).rejects.toThrow(
      'x: attempts must be a whole number from 1 (got 0)',
    );
  });
});

describe('waitUntil', () => {
  it('polls until the value is truthy', async () => {
    let calls = 0;
    await expect(
      waitUntil('truthy', () => ++calls >= 3 && 'ready', 5_000, 1),
    ).resolves.toBe('ready');
  });

  it('ends at once when the condition throws', async () => {
    let calls = 0;
    await expect(
      waitUntil('process up', () => {
        calls++;
        throw new Error('process exited');
      }),
    ).rejects.toThrow('process exited');
    expect(calls).toBe(1);
  });

  it('names the last falsy value when time runs out', async () => {
    await expect(
      waitUntil('cache ready', () => false, { timeoutMs: 200, everyMs: 20 }),
    ).rejects.toThrow(
      /^cache ready: not within 200 ms .*last: returned false$/,
    );
  });
});

describe('runCommand', () => {
  it('resolves to the output of a command that succeeds', async () => {
    await expect(
      runCommand('sh', ['-c', 'echo out; echo err >&2'], {
        timeoutMs: 10_000,
        env: { EXTRA: 'x' },
      }),
    ).resolves.toMatch(/out\n[\s\S]*err\n/);
  });

  it('rejects with the output of a command that fails or overruns', async () => {
    await expect(
      runCommand('sh', ['-c', 'echo broken; exit 3'], { timeoutMs: 10_000 }),
    ).rejects.toThrow('sh -c echo broken; exit 3 exited 3\nbroken');
    await expect(
      runCommand('sleep', ['10'], { timeoutMs: 200 }),
    ).rejects.toThrow('sleep 10: no exit after 200 ms');
  });

  it('passes input on stdin', async () => {
    await expect(
      runCommand('cat', [], { timeoutMs: 10_000, input: 'typed\n' }),
    ).resolves.toBe('typed\n');
  });
});

it('knows the repository root', () => {
  expect(fs.existsSync(path.join(repoRoot, 'packages/test-support'))).toBe(
    true,
  );
});

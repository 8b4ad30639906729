// The README step parser and the tarball stand-in of the stock-app install test, and the
// install steps each plugin README really carries.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../e2e/stack.mjs';
import { insertBefore, readmeSteps, shellCommands } from './readmeSteps.mjs';
import { README_ORDER, tarballCommand } from './stockApp.mjs';

const fence = '```';

describe('README install steps', () => {
  it('takes only the blocks after a stock-app marker, in order', () => {
    const steps = readmeSteps(
      [
        '```sh',
        'echo not a step',
        fence,
        '<!-- stock-app: run -->',
        '',
        '```sh',
        '# comment',
        'yarn add a # trailing',
        fence,
        '<!-- stock-app: insert src/index.ts before "backend.start();" -->',
        '```ts',
        'backend.add(x);',
        fence,
        '<!-- stock-app: config -->',
        '```yaml',
        'a: 1',
        fence,
      ].join('\n'),
    );
    assert.deepEqual(
      steps.map(s => s.kind),
      ['run', 'insert', 'config'],
    );
    assert.deepEqual(shellCommands(steps[0].body), ['yarn add a']);
    assert.equal(steps[1].file, 'src/index.ts');
    assert.equal(steps[1].before, 'backend.start();');
    assert.equal(steps[2].body, 'a: 1');
  });

  it('refuses a marker with no block after it', () => {
    assert.throws(
      () => readmeSteps('<!-- stock-app: run -->\ntext', 'X.md'),
      /X\.md:1: stock-app marker without a code block/,
    );
  });

  it('inserts above the anchor line with its indentation, and refuses a missing anchor', () => {
    const text = 'a\n  backend.start();\n';
    assert.equal(
      insertBefore(text, 'backend.start();', 'x();', 'f'),
      'a\n  x();\n\n  backend.start();\n',
    );
    assert.throws(
      () => insertBefore('a\n', 'b', 'x', 'f.ts'),
      /f\.ts: no line "b"/,
    );
  });

  it('points only our own packages in yarn add at their tarballs', () => {
    const tarballs = { '@mlops-plugins/x': '/t/x.tgz' };
    assert.equal(
      tarballCommand(
        'yarn --cwd packages/app add @mlops-plugins/x react',
        tarballs,
      ),
      'yarn --cwd packages/app add @mlops-plugins/x@file:/t/x.tgz react',
    );
    assert.equal(
      tarballCommand('echo @mlops-plugins/x', tarballs),
      'echo @mlops-plugins/x',
    );
  });

  it('finds install steps for the backend, the scaffolder module and the frontend in their READMEs', async () => {
    for (const readme of README_ORDER) {
      const steps = readmeSteps(
        await fs.readFile(path.join(repoRoot, readme), 'utf8'),
        readme,
      );
      const adds = steps
        .filter(s => s.kind === 'run')
        .flatMap(s => shellCommands(s.body))
        .filter(c => / add @mlops-plugins\//.test(c));
      assert.equal(adds.length, 1, `${readme} adds its package once`);
      const name = adds[0].split(' add ')[1].trim();
      const manifest = JSON.parse(
        await fs.readFile(
          path.join(repoRoot, path.dirname(readme), 'package.json'),
          'utf8',
        ),
      );
      assert.equal(name, manifest.name, readme);
    }
  });
});

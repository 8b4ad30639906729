// `yarn pack:plugins [outDir]`: every tarball in `PUBLISHED`, as a release would produce them,
// with the problems that would stop each from installing outside this repository.
import fs from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../e2e/stack.mjs';
import { manifestProblems, packPlugins } from './packPlugins.mjs';

const outDir = path.resolve(
  process.argv[2] ?? path.join(repoRoot, 'dist-packs'),
);
await fs.mkdir(outDir, { recursive: true });
let failed = false;
for (const p of await packPlugins(repoRoot, outDir)) {
  const problems = manifestProblems(p);
  failed ||= problems.length > 0;
  console.log(
    `${p.name}@${p.manifest.version}  ${path.relative(repoRoot, p.tarball)}  ${
      p.files.length
    } files  ${problems.length ? problems.join('; ') : 'ok'}`,
  );
}
process.exitCode = failed ? 1 : 0;

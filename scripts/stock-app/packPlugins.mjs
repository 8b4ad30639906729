// Builds and packs the published plugin packages the way a release would (backstage-cli
// package build, then yarn pack with the CLI's prepack), and reads each tarball's package.json
// back so the install test can check what a registry would serve.
import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from '../e2e/stack.mjs';

export const PUBLISHED = [
  { dir: 'mlops-common', name: '@mlops-plugins/backstage-plugin-mlops-common' },
  { dir: 'mlops-node', name: '@mlops-plugins/backstage-plugin-mlops-node' },
  { dir: 'mlops', name: '@mlops-plugins/backstage-plugin-mlops' },
  {
    dir: 'mlops-backend',
    name: '@mlops-plugins/backstage-plugin-mlops-backend',
  },
  {
    dir: 'scaffolder-backend-module-mlops',
    name: '@mlops-plugins/backstage-plugin-scaffolder-backend-module-mlops',
  },
];

/** Packs every published package into `outDir`; returns `[{ name, tarball, manifest, files }]`. */
export async function packPlugins(repoRoot, outDir) {
  const packed = [];
  for (const { dir, name } of PUBLISHED) {
    const cwd = path.join(repoRoot, 'plugins', dir);
    await run('yarn', ['build'], { cwd, timeoutMs: 600_000 });
    const tarball = path.join(outDir, `${dir}.tgz`);
    await run('yarn', ['pack', '--out', tarball], { cwd, timeoutMs: 300_000 });
    const listing = await run('tar', ['-tzf', tarball], { timeoutMs: 60_000 });
    const files = listing.split('\n').filter(Boolean);
    const manifest = JSON.parse(
      await run('tar', ['-xzOf', tarball, 'package/package.json'], {
        timeoutMs: 60_000,
      }),
    );
    packed.push({ name, dir, tarball, manifest, files });
  }
  return packed;
}

/** Problems that would stop a package from installing outside this repository. */
export function manifestProblems({ name, manifest, files }) {
  const problems = [];
  if (manifest.name !== name) problems.push(`name is ${manifest.name}`);
  if (manifest.private) problems.push('private: true');
  if (!/^0\./.test(manifest.version))
    problems.push(`version ${manifest.version} is not 0.x`);
  if (manifest.license !== 'Apache-2.0')
    problems.push(`license ${manifest.license}`);
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|portal|file):/.test(range)) {
        problems.push(`${field}.${dep} is ${range}`);
      }
      if (dep === '@mlops-plugins/sandbox')
        problems.push(`${field} has the sandbox`);
    }
  }
  if (JSON.stringify(manifest).includes('@internal/'))
    problems.push('names an @internal/ package');
  for (const key of ['main', 'types']) {
    const target = manifest[key];
    if (!target || !files.includes(`package/${target}`)) {
      problems.push(`${key} ${target} is not in the tarball`);
    }
  }
  if (!files.includes('package/LICENSE'))
    problems.push('no LICENSE in the tarball');
  if (
    manifest.configSchema &&
    !files.includes(`package/${manifest.configSchema}`)
  ) {
    problems.push(
      `configSchema ${manifest.configSchema} is not in the tarball`,
    );
  }
  if (!manifest.backstage?.role) problems.push('no backstage.role');
  return problems;
}

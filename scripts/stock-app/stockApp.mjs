// A stock Backstage app made by @backstage/create-app in a directory outside this repository,
// with the plugins installed by the steps of their READMEs, applied literally.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from '../e2e/stack.mjs';
import { insertBefore, readmeSteps, shellCommands } from './readmeSteps.mjs';

/** The create-app release whose Backstage version (backstage.json) this repo builds against. */
export const CREATE_APP_VERSION = '0.9.2';

/** The READMEs whose install steps are applied, in this order. */
export const README_ORDER = [
  'plugins/mlops-backend/README.md',
  'plugins/scaffolder-backend-module-mlops/README.md',
  'plugins/mlops/README.md',
];

/** Runs `create-app` non-interactively (the app name on its prompt) into `appDir`. */
export async function createStockApp(appDir, { timeoutMs = 300_000 } = {}) {
  await new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      [
        '--yes',
        `@backstage/create-app@${CREATE_APP_VERSION}`,
        '--path',
        appDir,
        '--skip-install',
      ],
      { cwd: path.dirname(appDir), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.stdin.end('mlops-stock-app\n');
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`create-app: no exit after ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`create-app exited ${code}\n${output}`));
    });
  });
  return JSON.parse(
    await fs.readFile(path.join(appDir, 'backstage.json'), 'utf8'),
  ).version;
}

/**
 * Stands in for the registry the packages are not on yet: `yarn add <our package>` becomes
 * `yarn add <our package>@file:<its tarball>`, and the app's root `resolutions` send the
 * packages' dependencies on each other to the tarballs too. Nothing else is rewritten.
 */
export function tarballCommand(command, tarballs) {
  if (!/^yarn\b.*\badd\b/.test(command)) return command;
  return command
    .split(/\s+/)
    .map(word => (tarballs[word] ? `${word}@file:${tarballs[word]}` : word))
    .join(' ');
}

/**
 * The `resolutions` that hold a new app on its Backstage release line. create-app pins the
 * line with a yarn.lock seed it downloads from GitHub; where that download fails (as on a
 * machine that reaches only a package registry) yarn takes the newest version in each range,
 * mixing release lines, and the stock backend fails at start-up. These pins do what the seed
 * does: every `@backstage/*` range of the app's own package.json files at its lower bound
 * (create-app writes the release's versions there), and this repository's pins of the same
 * release for the packages the app depends on only indirectly.
 */
export function releaseLinePins(appManifests, repoResolutions) {
  const pins = {};
  for (const [name, version] of Object.entries(repoResolutions)) {
    if (name.startsWith('@backstage/')) pins[name] = version;
  }
  for (const manifest of appManifests) {
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        const exact = /^\^(\d+\.\d+\.\d+)$/.exec(range);
        if (name.startsWith('@backstage/') && exact) pins[name] = exact[1];
      }
    }
  }
  return pins;
}

export async function pinApp(appDir, repoRoot, tarballs) {
  const read = async file => JSON.parse(await fs.readFile(file, 'utf8'));
  const file = path.join(appDir, 'package.json');
  const manifest = await read(file);
  const appManifests = [
    manifest,
    await read(path.join(appDir, 'packages/app/package.json')),
    await read(path.join(appDir, 'packages/backend/package.json')),
  ];
  const repo = await read(path.join(repoRoot, 'package.json'));
  manifest.resolutions = {
    ...manifest.resolutions,
    ...releaseLinePins(appManifests, repo.resolutions ?? {}),
  };
  for (const [name, tarball] of Object.entries(tarballs)) {
    manifest.resolutions[name] = `file:${tarball}`;
  }
  await fs.writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Applies every README step to the app; returns the config files the README blocks made, in
 * order, and a log of what was done.
 */
export async function applyReadmeSteps(repoRoot, appDir, tarballs, log) {
  const configFiles = [];
  for (const readme of README_ORDER) {
    const steps = readmeSteps(
      await fs.readFile(path.join(repoRoot, readme), 'utf8'),
      readme,
    );
    if (steps.length === 0) throw new Error(`${readme} has no install steps`);
    for (const step of steps) {
      if (step.kind === 'run') {
        for (const command of shellCommands(step.body)) {
          log(`${step.where}: ${command}`);
          await run('bash', ['-c', tarballCommand(command, tarballs)], {
            cwd: appDir,
            timeoutMs: 900_000,
          });
        }
      } else if (step.kind === 'insert') {
        log(`${step.where}: insert into ${step.file}`);
        const file = path.join(appDir, step.file);
        const text = await fs.readFile(file, 'utf8');
        await fs.writeFile(
          file,
          insertBefore(text, step.before, step.body, step.file),
        );
      } else {
        const file = path.join(
          appDir,
          `app-config.readme-${configFiles.length + 1}.yaml`,
        );
        log(`${step.where}: config block -> ${path.basename(file)}`);
        await fs.writeFile(file, `${step.body}\n`);
        configFiles.push(file);
      }
    }
  }
  return configFiles;
}

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { localPublishRoot } from '../../services/LocalRepos/localPublishRoot';
import { examples } from './local.examples';

const run = promisify(execFile);

/** Repo names: one path segment of lower-case letters, digits, `.`, `_`, `-`; not `.` or `..`. */
const REPO_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** Author names and e-mails go to git as arguments (no shell), but stay on one plain line. */
const AUTHOR_NAME = /^[\p{L}\p{N} .,'_-]{1,100}$/u;
const AUTHOR_EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$/;

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    // Only our -c settings apply: no user or system config, hooks or signing from the host.
    env: {
      PATH: process.env.PATH,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      HOME: cwd,
    },
  });
  return stdout.trim();
}

interface Author {
  name: string;
  email: string;
}

function authorOf(
  config: Config,
  input: { gitAuthorName?: string; gitAuthorEmail?: string },
  user:
    | { spec?: { profile?: { displayName?: string; email?: string } } }
    | undefined,
): Author {
  const name =
    input.gitAuthorName ??
    user?.spec?.profile?.displayName ??
    config.getOptionalString('scaffolder.defaultAuthor.name') ??
    'Scaffolder';
  const email =
    input.gitAuthorEmail ??
    user?.spec?.profile?.email ??
    config.getOptionalString('scaffolder.defaultAuthor.email') ??
    'scaffolder@backstage.io';
  if (!AUTHOR_NAME.test(name)) {
    throw new InputError(
      `gitAuthorName ${JSON.stringify(
        name,
      )} must be 1-100 letters, digits, spaces and . , ' _ -`,
    );
  }
  if (!AUTHOR_EMAIL.test(email)) {
    throw new InputError(
      `gitAuthorEmail ${JSON.stringify(
        email,
      )} must be an e-mail address such as "jane@example.com"`,
    );
  }
  return { name, email };
}

/**
 * `mlops:publish:local`: the embedded default publisher. Copies the workspace (or a directory
 * of it) to `<mlops.scaffolder.localPublish.root>/<repoName>`, makes it a git repository with
 * one commit by the template's user, and outputs `file://` URLs that the catalog can read
 * through the module's local repo UrlReader (see README).
 *
 * @public
 */
export function createPublishLocalAction(options: { config: Config }) {
  const { config } = options;
  return createTemplateAction({
    id: 'mlops:publish:local',
    description:
      'Publishes the workspace as a git repository under the configured local root (mlops.scaffolder.localPublish.root).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description:
              'Directory name of the repository under the local root: lower-case letters, digits, ".", "_" and "-".',
          }),
        sourcePath: z =>
          z
            .string({ description: 'Directory of the workspace to publish.' })
            .default('.'),
        defaultBranch: z =>
          z
            .string({ description: 'Branch of the first commit.' })
            .regex(/^[a-z0-9][a-z0-9._/-]{0,62}$/, {
              message: 'defaultBranch must be a branch name such as "main"',
            })
            .default('main'),
        gitCommitMessage: z =>
          z
            .string({ description: 'Message of the first commit.' })
            .max(200)
            .default('Initial commit from Backstage'),
        gitAuthorName: z =>
          z
            .string({
              description:
                'Commit author; default the user running the template.',
            })
            .optional(),
        gitAuthorEmail: z =>
          z
            .string({
              description:
                'Commit author e-mail; default the user running the template.',
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'file:// URL of the repository.' }),
        repoContentsUrl: z =>
          z.string({ description: 'file:// URL of the repository contents.' }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'file:// URL of catalog-info.yaml, for catalog:register.',
          }),
        commitHash: z =>
          z.string({ description: 'The commit made (empty in a dry run).' }),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const sourcePath = ctx.input.sourcePath ?? '.';
      const defaultBranch = ctx.input.defaultBranch ?? 'main';
      const gitCommitMessage =
        ctx.input.gitCommitMessage ?? 'Initial commit from Backstage';
      if (
        !/^[a-z0-9][a-z0-9._/-]{0,62}$/.test(defaultBranch) ||
        defaultBranch.includes('..')
      ) {
        throw new InputError(
          `defaultBranch ${JSON.stringify(
            defaultBranch,
          )} must be a branch name such as "main"`,
        );
      }
      if (!REPO_NAME.test(repoName) || repoName.includes('..')) {
        throw new InputError(
          `repoName ${JSON.stringify(
            repoName,
          )} must be one directory name of lower-case letters, digits, ".", "_" and "-" (at most 100 characters), without ".."`,
        );
      }
      const root = localPublishRoot(config);
      let target: string;
      let source: string;
      try {
        target = resolveSafeChildPath(root, repoName);
      } catch {
        throw new InputError(
          `repoName "${repoName}" escapes the local publish root`,
        );
      }
      try {
        source = resolveSafeChildPath(ctx.workspacePath, sourcePath);
      } catch {
        throw new InputError(
          `sourcePath "${sourcePath}" is outside the workspace`,
        );
      }
      const author = authorOf(config, ctx.input, ctx.user?.entity as never);
      const remoteUrl = pathToFileURL(target).href;
      const catalogInfoUrl = pathToFileURL(
        path.join(target, 'catalog-info.yaml'),
      ).href;
      const exists = await fs.lstat(target).then(
        () => true,
        () => false,
      );
      if (exists) {
        throw new InputError(
          `a repository named "${repoName}" already exists in the local publish root; choose another name`,
        );
      }
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', remoteUrl);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish ${sourcePath} to ${remoteUrl}`);
        ctx.output('commitHash', '');
        return;
      }
      await fs.mkdir(root, { recursive: true });
      // Copy into a sibling temp dir and rename, so a failed publish leaves no half repo behind.
      const staging = await fs.mkdtemp(path.join(root, `.${repoName}-`));
      try {
        await fs.cp(source, staging, {
          recursive: true,
          verbatimSymlinks: true,
        });
        await git(staging, [
          'init',
          '--quiet',
          `--initial-branch=${defaultBranch}`,
        ]);
        await git(staging, ['add', '--all']);
        await git(staging, [
          '-c',
          `user.name=${author.name}`,
          '-c',
          `user.email=${author.email}`,
          '-c',
          'commit.gpgsign=false',
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          gitCommitMessage,
        ]);
        await fs.rename(staging, target);
      } catch (error) {
        await fs.rm(staging, { recursive: true, force: true });
        throw error;
      }
      const commitHash = await git(target, ['rev-parse', 'HEAD']);
      ctx.logger.info(
        `Published ${repoName} to ${remoteUrl} (commit ${commitHash})`,
      );
      ctx.output('commitHash', commitHash);
    },
  });
}

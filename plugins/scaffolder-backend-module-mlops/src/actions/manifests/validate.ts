import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  checkManifestPolicy,
  formatManifestProblem,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { readManifestDirectory } from './readManifestDirectory';
import { dryRunClusterFromConfig, ServerDryRunner } from './serverDryRun';
import { examples } from './validate.examples';

/** Kubernetes namespace names are DNS-1123 labels. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `mlops:manifests:validate`: checks a directory of manifests in the workspace against the
 * reconciler's rules that need no cluster (YAML well-formed, allowed kinds, names, namespace),
 * so a template fails before publishing instead of the reconciler refusing the repo later.
 * Where `mlops.scaffolder.validation.kubeconfig` names a cluster, every object is also sent to
 * it as a server-side apply dry-run, so the real CRD schemas judge it; nothing is stored.
 *
 * @public
 */
export function createManifestsValidateAction(
  options: { config?: Config } = {},
) {
  return createTemplateAction({
    id: 'mlops:manifests:validate',
    description:
      "Validates a directory of Kubernetes manifests against the MLOps reconciler's rules (allowed kinds, names, namespace).",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string({
              description: 'Directory of manifests, relative to the workspace.',
            })
            .default('deploy'),
        namespace: z =>
          z
            .string({
              description:
                "The entity's namespace; objects naming another namespace are refused.",
            })
            .regex(NAMESPACE, {
              message:
                'namespace must be a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters',
            })
            .optional(),
        serverDryRun: z =>
          z
            .boolean({
              description:
                'Ask the configured cluster for a server-side dry-run apply of every object. Default: when mlops.scaffolder.validation.kubeconfig is set.',
            })
            .optional(),
      },
      output: {
        objectCount: z =>
          z.number({ description: 'Number of objects validated.' }),
        objects: z =>
          z
            .array(z.string())
            .describe('The objects validated, as `Kind/name`, in file order.'),
        serverDryRun: z =>
          z.boolean({
            description: 'Whether a cluster dry-run validated the objects.',
          }),
      },
    },
    async handler(ctx) {
      const { namespace, serverDryRun } = ctx.input;
      const path = ctx.input.path ?? 'deploy';
      const cluster = dryRunClusterFromConfig(options.config);
      if (serverDryRun && !cluster) {
        throw new InputError(
          'serverDryRun was asked for, but no cluster is configured (mlops.scaffolder.validation.kubeconfig)',
        );
      }
      const read = await readManifestDirectory(ctx.workspacePath, path);
      const problems = [
        ...read.problems,
        ...checkManifestPolicy(read.manifests, { namespace }),
      ];
      if (problems.length > 0) {
        throw new InputError(
          `${
            problems.length
          } problem(s) in manifests under "${path}":\n${problems
            .map(p => `  - ${formatManifestProblem(p)}`)
            .join('\n')}`,
        );
      }
      if (read.manifests.length === 0) {
        throw new InputError(
          `no Kubernetes objects found under "${path}" (looked for *.yaml and *.yml)`,
        );
      }
      const useCluster = cluster !== undefined && serverDryRun !== false;
      if (useCluster) {
        const runner = new ServerDryRunner(cluster);
        const refused: string[] = [];
        for (const m of read.manifests) {
          const reason = await runner.check(m.object, namespace ?? 'default');
          if (reason) {
            refused.push(
              `  - ${formatManifestProblem({
                file: m.file,
                document: m.document,
                message: `${m.object.kind} "${m.object.metadata.name}" ${reason}`,
              })}`,
            );
          }
        }
        if (refused.length > 0) {
          throw new InputError(
            `${
              refused.length
            } object(s) under "${path}" refused by the cluster's server-side dry-run:\n${refused.join(
              '\n',
            )}`,
          );
        }
      }
      const objects = read.manifests.map(
        m => `${m.object.kind}/${m.object.metadata.name}`,
      );
      ctx.logger.info(
        `Validated ${objects.length} object(s) in ${
          read.files.length
        } file(s): ${objects.join(', ')}`,
      );
      ctx.output('objectCount', objects.length);
      ctx.output('objects', objects);
      ctx.output('serverDryRun', useCluster);
    },
  });
}

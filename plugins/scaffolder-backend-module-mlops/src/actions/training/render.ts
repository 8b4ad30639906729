import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  renderTrainingRepo,
  SpecValidationError,
  TRAINING_FRAMEWORKS,
  TRAINING_MANIFESTS_DIR,
  type RenderedFile,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { examples } from './render.examples';
import { writeRenderedFiles } from '../writeRenderedFiles';

/**
 * `mlops:training:render`: renders a distributed training repo (deploy/ manifests, Dockerfile,
 * training script, README, catalog-info.yaml) into the workspace. Everything is rendered and
 * checked in memory first, so bad input or an existing file writes nothing.
 *
 * @public
 */
export function createTrainingRenderAction() {
  return createTemplateAction({
    id: 'mlops:training:render',
    description:
      'Renders a distributed training repo (PyTorchJob, TrainJob, RayJob or RayCluster, Dockerfile, training script, README, catalog-info.yaml) into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        framework: z =>
          z.enum(TRAINING_FRAMEWORKS, {
            description:
              '"pytorch" (PyTorchJob or TrainJob) or "ray" (RayJob or RayCluster).',
          }),
        values: z =>
          z.record(z.string(), z.unknown(), {
            description:
              'The training spec (name, owner, nodes, gpusPerNode, …); validated by mlops-common, every error names its field.',
          }),
        targetPath: z =>
          z
            .string({
              description: 'Directory in the workspace to render into.',
            })
            .default('.'),
        overwrite: z =>
          z
            .boolean({ description: 'Replace files that already exist.' })
            .default(false),
      },
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('Paths written, relative to targetPath.'),
        workloadKind: z =>
          z.string({
            description: 'PyTorchJob, TrainJob, RayJob or RayCluster.',
          }),
        entityName: z =>
          z.string({ description: 'metadata.name of the catalog Component.' }),
        manifestsPath: z =>
          z.string({
            description:
              'Directory of the manifests, relative to the workspace.',
          }),
      },
    },
    async handler(ctx) {
      const { framework, values } = ctx.input;
      // Defaults again here: callers that skip the scaffolder's schema step get the same result.
      const targetPath = ctx.input.targetPath ?? '.';
      const overwrite = ctx.input.overwrite ?? false;
      let files: RenderedFile[];
      try {
        // Absent and undefined are the same in JSON, which is what templates send.
        const defined = Object.fromEntries(
          Object.entries(values).filter(([, v]) => v !== undefined),
        );
        files = renderTrainingRepo({ ...defined, framework } as never);
      } catch (error) {
        if (error instanceof SpecValidationError) {
          throw new InputError(error.message);
        }
        throw error;
      }
      await writeRenderedFiles(ctx.workspacePath, targetPath, files, overwrite);
      const workload = files.find(
        f =>
          f.path.startsWith(`${TRAINING_MANIFESTS_DIR}/`) &&
          f.path !== `${TRAINING_MANIFESTS_DIR}/code.yaml`,
      )!;
      const workloadKind = /^kind: (\S+)$/m.exec(workload.content)![1];
      ctx.logger.info(
        `Rendered ${workloadKind} ${String(values.name)} (${
          files.length
        } files)${ctx.isDryRun ? ' [dry run]' : ''}`,
      );
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('workloadKind', workloadKind);
      ctx.output('entityName', String(values.name));
      ctx.output(
        'manifestsPath',
        path.posix.join(
          targetPath.split(path.sep).join('/'),
          TRAINING_MANIFESTS_DIR,
        ),
      );
    },
  });
}

import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  SERVING_MANIFESTS_DIR,
  renderServingRepo,
  type RenderedFile,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { examples } from './render.examples';
import { writeRenderedFiles } from '../writeRenderedFiles';
import { asInputError, definedValues } from './values';

/**
 * `mlops:serving:render`: renders a model-serving repo (vLLM or Triton Deployment, Service,
 * model cache, KEDA ScaledObject, monitor, README with the plan, catalog-info.yaml) into the
 * workspace. Everything is rendered and planned in memory first, so bad input, a configuration
 * that does not fit in GPU memory, or an existing file writes nothing.
 *
 * @public
 */
export function createServingRenderAction() {
  return createTemplateAction({
    id: 'mlops:serving:render',
    description:
      'Renders a model-serving repo (vLLM, Triton with the vLLM or TensorRT-LLM backend; S3 model cache; KEDA on queue and GPU metrics; README with the GPU memory plan; catalog-info.yaml) into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        values: z =>
          z.record(z.string(), z.unknown(), {
            description:
              'The serving spec (name, owner, engine, model, gpu, tensorParallelSize, modelUri, autoscaling, …); validated and planned by mlops-common.',
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
        entityName: z =>
          z.string({ description: 'metadata.name of the catalog Component.' }),
        manifestsPath: z =>
          z.string({
            description:
              'Directory of the manifests, relative to the workspace.',
          }),
        objects: z =>
          z.array(z.string()).describe('The rendered objects as `Kind/name`.'),
      },
    },
    async handler(ctx) {
      const { values } = ctx.input;
      const targetPath = ctx.input.targetPath ?? '.';
      const overwrite = ctx.input.overwrite ?? false;
      const files: RenderedFile[] = asInputError(() =>
        renderServingRepo(definedValues(values) as never),
      );
      await writeRenderedFiles(ctx.workspacePath, targetPath, files, overwrite);
      const objects = files
        .filter(f => f.path.startsWith(`${SERVING_MANIFESTS_DIR}/`))
        .map(f => {
          const kind = /^kind: (\S+)$/m.exec(f.content)![1];
          const name = /^ {2}name: (\S+)$/m.exec(f.content)![1];
          return `${kind}/${name}`;
        });
      ctx.logger.info(
        `Rendered serving repo ${String(values.name)}: ${objects.join(', ')}${
          ctx.isDryRun ? ' [dry run]' : ''
        }`,
      );
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('entityName', String(values.name));
      ctx.output(
        'manifestsPath',
        path.posix.join(
          targetPath.split(path.sep).join('/'),
          SERVING_MANIFESTS_DIR,
        ),
      );
      ctx.output('objects', objects);
    },
  });
}

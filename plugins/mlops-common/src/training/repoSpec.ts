import { z } from 'zod';
import { SpecValidationError, describeValue } from '../render/validation';
import {
  pytorchTrainingSpecSchema,
  rayTrainingSpecSchema,
  type PyTorchTrainingSpec,
  type PyTorchTrainingSpecInput,
  type RayTrainingSpec,
  type RayTrainingSpecInput,
} from './spec';
import { specProblemsOf } from '../render/validation';

/** The frameworks a training repo can be generated for. @public */
export const TRAINING_FRAMEWORKS = ['pytorch', 'ray'] as const;

/** Input of the repo renderer: the framework, and that framework's spec. @public */
export type TrainingRepoSpecInput =
  | ({ framework: 'pytorch' } & PyTorchTrainingSpecInput)
  | ({ framework: 'ray' } & RayTrainingSpecInput);

/** A validated training repo spec, defaults filled in. @public */
export type TrainingRepoSpec =
  | ({ framework: 'pytorch' } & PyTorchTrainingSpec)
  | ({ framework: 'ray' } & RayTrainingSpec);

/**
 * Validates a training repo spec; throws SpecValidationError naming every bad field.
 * @public
 */
export function parseTrainingRepoSpec(input: unknown): TrainingRepoSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SpecValidationError('training spec', [
      { field: '(input)', message: 'must be an object' },
    ]);
  }
  const { framework, ...rest } = input as Record<string, unknown>;
  const schemas: Record<string, z.ZodTypeAny> = {
    pytorch: pytorchTrainingSpecSchema,
    ray: rayTrainingSpecSchema,
  };
  const schema =
    typeof framework === 'string' && Object.hasOwn(schemas, framework)
      ? schemas[framework]
      : undefined;
  if (!schema) {
    throw new SpecValidationError('training spec', [
      {
        field: 'framework',
        message: `must be one of ${TRAINING_FRAMEWORKS.map(f =>
          JSON.stringify(f),
        ).join(', ')} (got ${describeValue(framework)})`,
      },
    ]);
  }
  const result = schema.safeParse(rest);
  if (!result.success) {
    throw new SpecValidationError(
      `${String(framework)} training spec`,
      specProblemsOf(result.error),
    );
  }
  return { framework, ...result.data } as TrainingRepoSpec;
}

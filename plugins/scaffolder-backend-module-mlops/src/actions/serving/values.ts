import { InputError } from '@backstage/errors';
import {
  SpecValidationError,
  parseServingSpec,
  type ServingSpec,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/** Drops undefined and "" values the way JSON and forms do, so both give the same spec. */
export function definedValues(
  values: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  );
}

/** Runs `fn`, turning spec and plan problems into an InputError that lists them. */
export function asInputError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecValidationError) {
      throw new InputError(error.message);
    }
    throw error;
  }
}

export function parseServingValues(
  values: Record<string, unknown>,
): ServingSpec {
  return asInputError(() => parseServingSpec(definedValues(values)));
}

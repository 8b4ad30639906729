/**
 * Isomorphic parts of the MLOps plugins: catalog annotations, workload predicates,
 * the reconciler's kind allow-list and the REST API's body types.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './workload';
export * from './kinds';
export * from './manifests';
export * from './yamlNesting';
export * from './yamlErrors';
export * from './messageTokens';
export * from './types';
export * from './render';
export * from './training';
export * from './permissions';
export * from './status';
export * from './planner';
export * from './serving';
export * from './servingEngine';

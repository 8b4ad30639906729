export * from './k8s';
export { toYaml, toYamlStream } from './yaml';
export {
  boundedInt,
  dnsLabel,
  entityRef,
  imageReference,
  labelValue,
  modelUri,
  parseWith,
  plainText,
  quantity,
  s3Uri,
  specProblemsOf,
  SpecValidationError,
  type SpecProblem,
} from './validation';

export { createManifestsValidateAction } from './manifests/validate';

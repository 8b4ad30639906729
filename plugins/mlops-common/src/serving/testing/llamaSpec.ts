import type { ServingSpecInput } from '../spec';

/** Llama 3.1 8B on one H100 with an S3 model store: the base spec of the serving tests. */
export const llamaServingSpec: ServingSpecInput = {
  name: 'llama3-8b-chat',
  owner: 'group:default/ml-platform-team',
  system: 'ml-platform',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  modelUri: 's3://models/llama-3.1-8b-instruct/',
  modelRevision: '0e9e39f',
  s3: {
    endpoint: 'http://minio.storage.svc:9000',
    credentialsSecret: 'model-store',
  },
};

import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ANNOTATION_MLOPS_KV_CACHE_PLAN,
  parseServingSpec,
  planServing,
  renderServingCatalogInfo,
  summarizeServingPlan,
  type ServingSpecInput,
} from '.';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../../examples/llama3-8b-chat/catalog-info.yaml',
);

/** The configuration of the example's deploy/deployment.yaml, as the vLLM template takes it. */
const exampleServingSpec: ServingSpecInput = {
  name: 'llama3-8b-chat',
  owner: 'group:default/ml-platform-team',
  system: 'ml-platform',
  namespace: 'ml-serving',
  model: 'llama-3-8b-instruct',
  gpu: 'h100-80gb',
  tensorParallelSize: 1,
  maxModelLen: 8192,
  gpuMemoryUtilization: 0.9,
  modelUri: 's3://models/llama-3-8b-instruct/',
  modelRevision: 'main',
  s3: {
    endpoint: 'http://minio.storage.svc:9000',
    credentialsSecret: 'model-store',
  },
};

describe('the llama3-8b-chat example', () => {
  // The serving card compares this annotation with the running simulator in the browser test,
  // so it must be what the planner of this release says for the example's configuration.
  it('carries the KV-cache plan the planner makes for its configuration', () => {
    const spec = parseServingSpec(exampleServingSpec);
    const summary = summarizeServingPlan(spec, planServing(spec));
    const rendered = renderServingCatalogInfo(spec, summary);
    const example = parse(fs.readFileSync(EXAMPLE, 'utf8'));
    expect(
      JSON.parse(example.metadata.annotations[ANNOTATION_MLOPS_KV_CACHE_PLAN]),
    ).toEqual(
      JSON.parse(rendered.metadata.annotations[ANNOTATION_MLOPS_KV_CACHE_PLAN]),
    );
  });
});

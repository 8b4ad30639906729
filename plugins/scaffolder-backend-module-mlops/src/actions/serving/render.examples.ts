import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render a vLLM server for Llama 3.1 8B on one H100, weights cached from S3, KEDA on queue and GPU.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'mlops:serving:render',
          name: 'Render serving repo',
          input: {
            values: {
              name: 'llama-chat',
              owner: 'group:default/ml-platform-team',
              model: 'llama-3.1-8b-instruct',
              gpu: 'h100-80gb',
              modelUri: 's3://models/llama-3.1-8b-instruct',
              autoscaling: { minReplicas: 1, maxReplicas: 4 },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render Triton with the TensorRT-LLM backend for Llama 3.1 70B on 4 x H100 from an on-prem MinIO.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'mlops:serving:render',
          name: 'Render serving repo',
          input: {
            targetPath: 'repo',
            values: {
              name: 'llama-70b-trt',
              owner: 'group:default/ml-platform-team',
              engine: 'triton-tensorrt-llm',
              model: 'llama-3.1-70b-instruct',
              gpu: 'h100-80gb',
              tensorParallelSize: 4,
              modelUri: 's3://engines/llama-3.1-70b-tp4-h100',
              s3: { endpoint: 'http://minio.storage.svc:9000' },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a vLLM server on a MIG slice (H100 3g.40gb) that scales to zero.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'mlops:serving:render',
          name: 'Render serving repo',
          input: {
            values: {
              name: 'qwen-small',
              owner: 'group:default/ml-platform-team',
              model: 'qwen2.5-7b-instruct',
              gpu: 'h100-80gb-mig-3g.40gb',
              autoscaling: { scaleToZero: true, maxReplicas: 2 },
            },
          },
        },
      ],
    }),
  },
];

import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Plan Llama 3.1 8B on one H100 80GB: KV-cache tokens, concurrency and --max-num-seqs.',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'mlops:serving:plan',
          name: 'Plan GPU memory',
          input: {
            values: {
              name: 'llama-chat',
              owner: 'group:default/ml-platform-team',
              model: 'llama-3.1-8b-instruct',
              gpu: 'h100-80gb',
              maxModelLen: 8192,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Plan Qwen2.5 72B on 4 x H100 with an fp8 KV cache and 32k context.',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'mlops:serving:plan',
          name: 'Plan GPU memory',
          input: {
            values: {
              name: 'qwen-72b',
              owner: 'group:default/ml-platform-team',
              model: 'qwen2.5-72b-instruct',
              gpu: 'h100-80gb',
              tensorParallelSize: 4,
              kvCacheDtype: 'fp8',
              maxModelLen: 32768,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Plan gpt-oss-120b (MXFP4 mixture of experts, sliding-window layers) on 2 x H100 with a 128k context.',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'mlops:serving:plan',
          name: 'Plan GPU memory',
          input: {
            values: {
              name: 'gpt-oss',
              owner: 'group:default/ml-platform-team',
              model: 'gpt-oss-120b',
              gpu: 'h100-80gb',
              tensorParallelSize: 2,
              maxModelLen: 131072,
            },
          },
        },
      ],
    }),
  },
];

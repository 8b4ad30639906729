import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render an 8-node x 8-GPU PyTorch DDP repo (Kubeflow PyTorchJob) with NCCL over sockets.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'mlops:training:render',
          name: 'Render training repo',
          input: {
            framework: 'pytorch',
            values: {
              name: 'resnet50-ddp',
              owner: 'group:default/ml-platform-team',
              namespace: 'ml-training',
              nodes: 8,
              gpusPerNode: 8,
              datasetUri: 's3://datasets/imagenet/',
              nccl: { debug: 'WARN', ib: false, socketIfname: 'eth0' },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a Kubeflow Trainer v2 TrainJob on the torch-distributed runtime into ./repo.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'mlops:training:render',
          name: 'Render training repo',
          input: {
            framework: 'pytorch',
            targetPath: 'repo',
            values: {
              name: 'llama-sft',
              owner: 'group:default/ml-platform-team',
              operator: 'trainjob',
              nodes: 2,
              gpusPerNode: 4,
              modelUri: 'hf://meta-llama/Llama-3.2-1B',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Render a Ray Train repo run by an autoscaled RayJob.',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'mlops:training:render',
          name: 'Render training repo',
          input: {
            framework: 'ray',
            values: {
              name: 'ray-finetune',
              owner: 'group:default/ml-platform-team',
              mode: 'rayjob',
              workers: 2,
              gpusPerWorker: 1,
              autoscaling: true,
              maxWorkers: 4,
            },
          },
        },
      ],
    }),
  },
];

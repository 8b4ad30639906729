import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Validate the rendered manifests in ./deploy for the namespace ml-serving.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'mlops:manifests:validate',
          name: 'Validate manifests',
          input: { path: 'deploy', namespace: 'ml-serving' },
        },
      ],
    }),
  },
];

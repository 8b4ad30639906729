import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace as a local git repository and register its catalog-info.yaml.',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'mlops:publish:local',
          name: 'Publish locally',
          input: { repoName: 'resnet50-ddp' },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
];

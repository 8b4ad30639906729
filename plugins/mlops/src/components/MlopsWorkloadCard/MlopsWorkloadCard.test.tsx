import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { MlopsWorkloadCard } from './MlopsWorkloadCard';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'resnet50-ddp', annotations },
    spec: {
      type: 'training-job',
      owner: 'group:default/ml-platform',
      lifecycle: 'experimental',
    },
  };
}

describe('MlopsWorkloadCard', () => {
  it('shows the workload, namespace, cluster and manifests of an annotated entity', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={entity({
          'mlops/manifests': './deploy',
          'mlops/namespace': 'ml-training',
          'mlops/workload': 'training',
          'backstage.io/kubernetes-id': 'resnet50-ddp',
        })}
      >
        <MlopsWorkloadCard />
      </EntityProvider>,
    );
    expect(screen.getByText('MLOps workload')).toBeInTheDocument();
    expect(screen.getByTestId('mlops-workload-type')).toHaveTextContent(
      'training',
    );
    expect(screen.getByText('ml-training')).toBeInTheDocument();
    expect(screen.getByText('./deploy')).toBeInTheDocument();
    expect(screen.getByText('default cluster')).toBeInTheDocument();
  });

  it('shows the missing-annotation state, naming mlops/manifests, for a plain component', async () => {
    await renderInTestApp(
      <EntityProvider entity={entity({ 'mlops/workload': 'serving' })}>
        <MlopsWorkloadCard />
      </EntityProvider>,
    );
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.getAllByText(/mlops\/manifests/).length).toBeGreaterThan(0);
    expect(screen.queryByText('MLOps workload')).not.toBeInTheDocument();
  });
});

import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_MLOPS_MANIFESTS,
  readMlopsAnnotations,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Chip from '@material-ui/core/Chip';

const NOT_SET = '—';

/**
 * Overview card of an MLOps workload: what the reconciler will apply, and where.
 * Live status comes from the backend in later cards; this one reads only the entity.
 */
export const MlopsWorkloadCard = () => {
  const { entity } = useEntity();
  const annotations = readMlopsAnnotations(entity);

  if (!annotations) {
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_MLOPS_MANIFESTS} />
    );
  }

  const workload = annotations.workload ?? 'unknown';
  return (
    <InfoCard
      title="MLOps workload"
      subheader={
        <Chip size="small" label={workload} data-testid="mlops-workload-type" />
      }
    >
      <StructuredMetadataTable
        metadata={{
          Workload: workload,
          Namespace: annotations.namespace ?? NOT_SET,
          Cluster: annotations.cluster ?? 'default cluster',
          Manifests: annotations.manifests,
          'Kubernetes id': annotations.kubernetesId ?? NOT_SET,
        }}
      />
    </InfoCard>
  );
};

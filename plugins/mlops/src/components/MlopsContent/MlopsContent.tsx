import { Content } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_MLOPS_MANIFESTS,
  readMlopsAnnotations,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Grid from '@material-ui/core/Grid';
import { AutoscalerCard } from '../AutoscalerCard';
import { ReconcileStatusCard } from '../ReconcileStatusCard';
import { ServingThroughputCard } from '../ServingThroughputCard';
import { TrainingStatusCard } from '../TrainingStatusCard';

/** The reconcile card fills the row its neighbours leave. */
function reconcileWidth(training: boolean, serving: boolean) {
  if (training && serving) return 12;
  return training ? 4 : 6;
}

/** The MLOps tab: the cards that fit the entity's workload type. */
export const MlopsContent = () => {
  const { entity } = useEntity();
  const annotations = readMlopsAnnotations(entity);
  if (!annotations) {
    return (
      <Content>
        <MissingAnnotationEmptyState annotation={ANNOTATION_MLOPS_MANIFESTS} />
      </Content>
    );
  }
  const training = annotations.workload !== 'serving';
  const serving = annotations.workload !== 'training';
  return (
    <Grid
      container
      spacing={3}
      alignItems="stretch"
      data-testid="mlops-content"
    >
      {serving && (
        <Grid item xs={12}>
          <ServingThroughputCard />
        </Grid>
      )}
      {serving && (
        <Grid item xs={12} md={6}>
          <AutoscalerCard />
        </Grid>
      )}
      {training && (
        <Grid item xs={12} md={serving ? 6 : 8}>
          <TrainingStatusCard />
        </Grid>
      )}
      <Grid item xs={12} md={reconcileWidth(training, serving)}>
        <ReconcileStatusCard />
      </Grid>
    </Grid>
  );
};

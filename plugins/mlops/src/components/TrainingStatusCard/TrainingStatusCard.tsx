import type { MlopsTrainingStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ConditionsTable,
  formatDuration,
  formatTime,
  HealthChip,
  PolledCard,
  RequireMlopsAnnotations,
  Stat,
  StatRow,
  useMlopsStatus,
  whyNoObject,
} from '../shared';
import { ReplicasTable } from './ReplicasTable';

const TITLE = 'Training job';

const TrainingDetails = ({ job }: { job: MlopsTrainingStatus }) => {
  const finished = Boolean(job.completionTime);
  return (
    <>
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="subtitle1" style={{ marginRight: 8 }}>
          {job.kind} <strong>{job.name}</strong>
        </Typography>
        <HealthChip
          health={job.health}
          label={job.phase}
          testId="mlops-training-phase"
        />
      </Box>
      <StatRow>
        <Stat
          label={finished ? 'Total duration' : 'Elapsed'}
          value={formatDuration(job.durationSeconds)}
          testId="mlops-training-duration"
        />
        <Stat
          label="Restarts"
          value={job.restarts}
          testId="mlops-training-restarts"
        />
        <Stat label="Clean pod policy" value={job.cleanPodPolicy ?? '—'} />
        <Stat label="Started" value={formatTime(job.startTime)} />
        {finished && (
          <Stat label="Completed" value={formatTime(job.completionTime)} />
        )}
      </StatRow>
      <ReplicasTable replicas={job.replicas} />
      <Box mt={2}>
        <Typography variant="subtitle2" gutterBottom>
          Conditions
        </Typography>
        <ConditionsTable
          conditions={job.conditions}
          testId="mlops-training-conditions"
        />
      </Box>
    </>
  );
};

const TrainingStatus = () => {
  const polled = useMlopsStatus();
  return (
    <PolledCard
      title={TITLE}
      testId="mlops-training-card"
      polled={polled}
      isEmpty={s => !s.training}
      emptyTitle="No training job in the cluster yet"
      emptyDescription={s => whyNoObject(s, 'PyTorchJob, TrainJob or RayJob')}
    >
      {s => <TrainingDetails job={s.training!} />}
    </PolledCard>
  );
};

/** PyTorchJob / TrainJob / RayJob phase, replicas, duration, restarts and conditions. */
export const TrainingStatusCard = () => (
  <RequireMlopsAnnotations title={TITLE}>
    <TrainingStatus />
  </RequireMlopsAnnotations>
);

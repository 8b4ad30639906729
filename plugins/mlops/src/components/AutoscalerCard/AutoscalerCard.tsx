import type {
  MlopsAutoscalingStatus,
  MlopsServingStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ConditionsTable,
  formatAgo,
  formatDuration,
  HealthChip,
  PolledCard,
  RequireMlopsAnnotations,
  Stat,
  StatRow,
  useMlopsStatus,
  whyNoObject,
} from '../shared';
import { TriggersTable } from './TriggersTable';

const TITLE = 'Autoscaler';

const isTrue = (s: MlopsAutoscalingStatus, type: string) =>
  s.conditions.some(c => c.type === type && c.status === 'True');

/** One sentence on the state a user most needs to notice. */
function headline(
  scaler: MlopsAutoscalingStatus,
  target?: MlopsServingStatus,
): string | undefined {
  if (scaler.paused) return 'Paused: KEDA leaves the replica count alone.';
  if (isTrue(scaler, 'Fallback')) {
    const reason = scaler.conditions.find(c => c.type === 'Fallback')?.message;
    return `Fallback: KEDA cannot read its metrics and holds the fallback replica count${
      reason ? ` (${reason})` : ''
    }.`;
  }
  if (target && target.desiredReplicas === 0) {
    return 'Scaled to zero: the next request waits for a replica to start.';
  }
  return undefined;
}

const AutoscalerDetails = (props: {
  scaler: MlopsAutoscalingStatus;
  target?: MlopsServingStatus;
}) => {
  const { scaler, target } = props;
  const note = headline(scaler, target);
  return (
    <>
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="subtitle1" style={{ marginRight: 8 }}>
          ScaledObject <strong>{scaler.name}</strong>
        </Typography>
        <HealthChip
          health={scaler.health}
          label={scaler.paused ? 'paused' : scaler.health}
          testId="mlops-autoscaler-health"
        />
      </Box>
      {note && (
        <Typography
          variant="body2"
          color="textSecondary"
          paragraph
          data-testid="mlops-autoscaler-note"
        >
          {note}
        </Typography>
      )}
      <StatRow>
        <Stat
          label="Min"
          value={scaler.minReplicas ?? '—'}
          testId="mlops-autoscaler-min"
        />
        <Stat
          label="Current"
          value={scaler.currentReplicas ?? target?.readyReplicas ?? '—'}
          testId="mlops-autoscaler-current"
          hint={
            scaler.currentReplicas !== undefined
              ? "The HPA's current replicas"
              : 'Ready replicas of the scale target (HPA not visible)'
          }
        />
        <Stat
          label="Desired"
          value={scaler.desiredReplicas ?? target?.desiredReplicas ?? '—'}
          testId="mlops-autoscaler-desired"
          hint={
            scaler.desiredReplicas !== undefined
              ? 'What the HPA wants: the largest ceil(metric / threshold) over the triggers, within min and max'
              : "The scale target's replicas (HPA not visible)"
          }
        />
        <Stat
          label="Max"
          value={scaler.maxReplicas ?? '—'}
          testId="mlops-autoscaler-max"
        />
      </StatRow>
      <StatRow>
        <Stat label="HPA" value={scaler.hpaName ?? '—'} />
        <Stat label="Last active" value={formatAgo(scaler.lastActiveTime)} />
        <Stat label="Cooldown" value={formatDuration(scaler.cooldownSeconds)} />
        <Stat
          label="Polling interval"
          value={formatDuration(scaler.pollingIntervalSeconds)}
        />
      </StatRow>
      <TriggersTable triggers={scaler.triggers} />
      <Box mt={2}>
        <Typography variant="subtitle2" gutterBottom>
          Conditions
        </Typography>
        <ConditionsTable
          conditions={scaler.conditions}
          testId="mlops-autoscaler-conditions"
        />
      </Box>
    </>
  );
};

const Autoscaler = () => {
  const polled = useMlopsStatus();
  return (
    <PolledCard
      title={TITLE}
      testId="mlops-autoscaler-card"
      polled={polled}
      isEmpty={s => !s.autoscaling}
      emptyTitle="No KEDA ScaledObject in the cluster yet"
      emptyDescription={s => whyNoObject(s, 'ScaledObject')}
    >
      {s => <AutoscalerDetails scaler={s.autoscaling!} target={s.serving} />}
    </PolledCard>
  );
};

/** KEDA ScaledObject: replica bounds and counts, triggers, conditions, HPA, cooldown. */
export const AutoscalerCard = () => (
  <RequireMlopsAnnotations title={TITLE}>
    <Autoscaler />
  </RequireMlopsAnnotations>
);

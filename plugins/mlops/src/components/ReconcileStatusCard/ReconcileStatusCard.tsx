import type {
  MlopsHealth,
  MlopsReconcileResult,
  MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import {
  formatAgo,
  formatTime,
  HealthChip,
  PolledCard,
  RequireMlopsAnnotations,
  Stat,
  StatRow,
  useMlopsStatus,
} from '../shared';
import { ObjectsTable } from './ObjectsTable';
import { SyncButton } from './SyncButton';

const TITLE = 'Reconcile';

const RESULT_HEALTH: Record<MlopsReconcileResult, MlopsHealth> = {
  synced: 'healthy',
  refused: 'failed',
  conflict: 'degraded',
  'prune-blocked': 'degraded',
  failed: 'failed',
};

const APPLIED = new Set(['created', 'updated', 'unchanged']);

const ReconcileDetails = ({ record }: { record: MlopsReconcileStatus }) => (
  <>
    <Box display="flex" alignItems="center" mb={2}>
      <Typography variant="subtitle1" style={{ marginRight: 8 }}>
        Cluster <strong>{record.cluster}</strong>, namespace{' '}
        <strong>{record.namespace}</strong>
      </Typography>
      <HealthChip
        health={RESULT_HEALTH[record.result] ?? 'unknown'}
        label={record.result}
        testId="mlops-reconcile-result"
      />
    </Box>
    <StatRow>
      <Stat
        label="Revision"
        value={record.revision ? record.revision.slice(0, 12) : '—'}
        hint={record.revision}
        testId="mlops-reconcile-revision"
      />
      <Stat
        label="Objects applied"
        value={record.objects.filter(o => APPLIED.has(o.action)).length}
        testId="mlops-reconcile-applied"
      />
      <Stat
        label="Drift"
        value={record.driftCount}
        testId="mlops-reconcile-drift"
      />
      <Stat
        label="Last attempt"
        value={formatAgo(record.lastAttemptAt)}
        hint={formatTime(record.lastAttemptAt)}
        testId="mlops-reconcile-last-attempt"
      />
      <Stat
        label="Last success"
        value={formatAgo(record.lastSuccessAt)}
        hint={formatTime(record.lastSuccessAt)}
      />
    </StatRow>
    {record.result !== 'synced' && record.message && (
      <Box mb={2} data-testid="mlops-reconcile-error">
        <Typography variant="subtitle2" color="error">
          Last error ({record.result})
        </Typography>
        <Typography
          variant="body2"
          component="pre"
          style={{ whiteSpace: 'pre-wrap', margin: 0 }}
        >
          {record.message}
        </Typography>
      </Box>
    )}
    {record.objects.length > 0 && <ObjectsTable objects={record.objects} />}
  </>
);

const ReconcileStatus = () => {
  const polled = useMlopsStatus();
  // A sync answers with the new record before the next poll would.
  const [synced, setSynced] = useState<MlopsReconcileStatus>();
  const fromPoll = polled.value?.reconcile ?? undefined;
  const record =
    synced &&
    (!fromPoll ||
      fromPoll.lastAttemptAt.localeCompare(synced.lastAttemptAt) < 0)
      ? synced
      : fromPoll;
  const onSynced = (status: MlopsReconcileStatus) => {
    setSynced(status);
    polled.retry();
  };
  const action = (
    <Box display="flex" style={{ gap: 8 }}>
      {record?.result === 'prune-blocked' && (
        <SyncButton confirmPrune onSynced={onSynced} />
      )}
      <SyncButton onSynced={onSynced} />
    </Box>
  );
  return (
    <PolledCard
      title={TITLE}
      testId="mlops-reconcile-card"
      polled={polled}
      action={action}
    >
      {() =>
        record ? (
          <ReconcileDetails record={record} />
        ) : (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="mlops-reconcile-never"
          >
            Not reconciled yet: the backend applies this entity's manifests on
            its next pass, or now with "Sync now".
          </Typography>
        )
      }
    </PolledCard>
  );
};

/** The reconcile record: revision, objects applied, drift, last error, and "Sync now". */
export const ReconcileStatusCard = () => (
  <RequireMlopsAnnotations title={TITLE}>
    <ReconcileStatus />
  </RequireMlopsAnnotations>
);

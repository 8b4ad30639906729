import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  mlopsWorkloadSyncPermission,
  type MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import { useState } from 'react';
import { mlopsApiRef } from '../../api';

/** "Sync now"; rendered only for users holding `mlops.workload.sync`. */
export const SyncButton = (props: {
  confirmPrune?: boolean;
  onSynced(status: MlopsReconcileStatus): void;
}) => {
  const { entity } = useEntity();
  const api = useApi(mlopsApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed, loading } = usePermission({
    permission: mlopsWorkloadSyncPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [syncing, setSyncing] = useState(false);
  if (loading || !allowed) return null;

  const sync = async () => {
    setSyncing(true);
    try {
      const status = await api.sync(getCompoundEntityRef(entity), {
        confirmPrune: props.confirmPrune,
      });
      props.onSynced(status);
      alertApi.post({
        message: `Reconciled ${entity.metadata.name}: ${status.result}`,
        severity: status.result === 'synced' ? 'success' : 'warning',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        // A ResponseError's own message is only the status; the backend's reason is its cause.
        message: `Sync of ${entity.metadata.name} failed: ${
          error instanceof ResponseError
            ? error.cause.message
            : (error as Error).message
        }`,
        severity: 'error',
      });
    } finally {
      setSyncing(false);
    }
  };

  return (
    <Button
      variant={props.confirmPrune ? 'outlined' : 'contained'}
      color="primary"
      size="small"
      disabled={syncing}
      onClick={sync}
      startIcon={syncing ? <CircularProgress size={14} /> : undefined}
      data-testid={props.confirmPrune ? 'mlops-sync-confirm' : 'mlops-sync'}
    >
      {props.confirmPrune ? 'Sync and confirm prune' : 'Sync now'}
    </Button>
  );
};

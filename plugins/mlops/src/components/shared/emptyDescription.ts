import type { MlopsEntityStatusResponse } from '@mlops-plugins/backstage-plugin-mlops-common';

/** Why a kind is not in the status yet, in terms the user can act on. */
export function whyNoObject(
  status: MlopsEntityStatusResponse,
  kinds: string,
): string {
  if (!status.cacheReady) {
    return `The backend has not finished listing the cluster yet; ${kinds} will show up here once it has.`;
  }
  if (!status.reconcile) {
    return `This entity has not been reconciled yet, so the cluster holds no ${kinds} for it. Use "Sync now" on the reconcile card, or wait for the next pass.`;
  }
  if (status.reconcile.result !== 'synced') {
    return `The last reconcile ended "${status.reconcile.result}", and the cluster holds no ${kinds} for this entity. See the reconcile card for the reason.`;
  }
  return `The cluster holds no ${kinds} labelled for this entity. Check that the manifests directory contains one.`;
}

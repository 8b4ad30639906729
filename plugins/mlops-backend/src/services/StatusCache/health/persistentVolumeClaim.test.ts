import * as fixtures from './__fixtures__/persistentVolumeClaims';
import { persistentVolumeClaimHealth } from './persistentVolumeClaim';

describe('PersistentVolumeClaim health', () => {
  it('is healthy when Bound', () => {
    expect(persistentVolumeClaimHealth(fixtures.bound)).toEqual({
      health: 'healthy',
      reason: 'Bound',
    });
  });

  it('is progressing while Pending or before it has a status', () => {
    const pending = { health: 'progressing', reason: 'Pending' };
    expect(persistentVolumeClaimHealth(fixtures.pending)).toEqual(pending);
    expect(persistentVolumeClaimHealth(fixtures.noStatus)).toEqual(pending);
  });

  it('is failed when Lost', () => {
    expect(persistentVolumeClaimHealth(fixtures.lost)).toEqual({
      health: 'failed',
      reason: 'Lost',
    });
  });
});

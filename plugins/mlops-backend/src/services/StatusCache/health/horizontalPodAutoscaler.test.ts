import * as hpas from './__fixtures__/horizontalPodAutoscalers';
import { ready } from './__fixtures__/scaledObjects';
import { withHpa } from './horizontalPodAutoscaler';
import { scaledObjectStatus } from './scaledObject';

describe('withHpa', () => {
  const status = scaledObjectStatus(ready);

  it("adds the HPA's replicas and each trigger's current value, matched by metric name", () => {
    const merged = withHpa(status, hpas.kedaHpa);
    expect(merged).toMatchObject({
      currentReplicas: 2,
      desiredReplicas: 3,
      lastScaleTime: '2026-11-26T11:00:00Z',
    });
    expect(
      merged.triggers.map(t => [t.name, t.currentValue, t.threshold]),
    ).toEqual([
      ['queue-depth', '20', '8'],
      ['gpu', '61', '80'],
    ]);
  });

  it('leaves the status as it is without an HPA or before the HPA has a status', () => {
    expect(withHpa(status, undefined)).toBe(status);
    expect(withHpa(status, hpas.kedaHpaWithoutStatus)).toBe(status);
  });
});

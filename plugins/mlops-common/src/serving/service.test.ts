import { LABEL_MLOPS_ENTITY } from '../annotations';
import { parseServingSpec, renderServingMonitor } from '.';
import { llamaServingSpec } from './testing/llamaSpec';

const base = llamaServingSpec;

describe('renderServingMonitor', () => {
  // The backend's metrics route selects an entity's series by mlops_entity; only the
  // monitor's podTargetLabels put the pod's label onto the series.
  it.each(['podmonitor', 'servicemonitor'] as const)(
    'copies the entity label of the pods onto every series (%s)',
    monitor => {
      const rendered = renderServingMonitor(
        parseServingSpec({ ...base, monitor }),
      );
      expect(rendered?.spec.podTargetLabels).toEqual([LABEL_MLOPS_ENTITY]);
    },
  );

  it('renders nothing without a monitor', () => {
    expect(
      renderServingMonitor(parseServingSpec({ ...base, monitor: 'none' })),
    ).toBeUndefined();
  });
});

import { LABEL_MLOPS_ENTITY } from '../annotations';
import {
  parseServingSpec,
  renderServingMonitor,
  type ServingSpecInput,
} from '.';

const base: ServingSpecInput = {
  name: 'llama3-8b-chat',
  owner: 'group:default/ml-platform-team',
  system: 'ml-platform',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  modelUri: 's3://models/llama-3.1-8b-instruct/',
  modelRevision: '0e9e39f',
  s3: {
    endpoint: 'http://minio.storage.svc:9000',
    credentialsSecret: 'model-store',
  },
};

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

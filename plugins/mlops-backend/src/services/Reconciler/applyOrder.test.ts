import { byStage, inApplyOrder, inPruneOrder, stageOf } from './applyOrder';

const item = (kind: string, name = kind.toLowerCase()) => ({
  key: { apiVersion: 'v1', kind, namespace: 'ns', name },
});
const names = (items: Array<{ key: { name: string } }>) =>
  items.map(i => i.key.name);

describe('apply order', () => {
  const manifests = [
    item('ScaledObject'),
    item('Deployment'),
    item('PodMonitor'),
    item('ConfigMap', 'b'),
    item('Service'),
    item('ConfigMap', 'a'),
  ];

  it('applies config before workloads before what watches and scales them, else in manifest order', () => {
    expect(names(inApplyOrder(manifests))).toEqual([
      'b',
      'service',
      'a',
      'deployment',
      'scaledobject',
      'podmonitor',
    ]);
  });

  it('prunes in the reverse order', () => {
    expect(names(inPruneOrder(manifests))).toEqual([
      'podmonitor',
      'scaledobject',
      'deployment',
      'a',
      'service',
      'b',
    ]);
  });

  it('cuts an ordered list into stages, and puts unknown kinds with the workloads', () => {
    expect(stageOf('SomethingNew')).toBe(stageOf('Deployment'));
    const stages = byStage(inApplyOrder(manifests), i => i.key);
    expect(stages.map(names)).toEqual([
      ['b', 'service', 'a'],
      ['deployment'],
      ['scaledobject', 'podmonitor'],
    ]);
  });
});

// N catalog entities for the replica tests, each a Component with two ConfigMaps in its
// manifests directory, all registered through one Location file.
import fs from 'node:fs/promises';
import path from 'node:path';

export const OWNER = 'group:default/ml-platform-team';

const configMap = (name, value) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

export function entityNames(count) {
  return Array.from(
    { length: count },
    (_, i) => `r${String(i).padStart(2, '0')}`,
  );
}

/** Writes the entities under `dir`; returns the Location file for `catalog.locations`. */
export async function writeWorkloads(dir, { count, namespace }) {
  const names = entityNames(count);
  for (const name of names) {
    await fs.mkdir(path.join(dir, name, 'deploy'), { recursive: true });
    await fs.writeFile(
      path.join(dir, name, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        '  annotations:',
        '    mlops/manifests: ./deploy',
        `    mlops/namespace: ${namespace}`,
        '    mlops/workload: serving',
        'spec:',
        '  type: service',
        `  owner: ${OWNER}`,
        '  lifecycle: experimental',
        '',
      ].join('\n'),
    );
    await setManifest(dir, name, 'a', 'v1');
    await setManifest(dir, name, 'b', 'v1');
  }
  const location = path.join(dir, 'all.yaml');
  await fs.writeFile(
    location,
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Location',
      'metadata:',
      '  name: replica-workloads',
      'spec:',
      '  targets:',
      ...names.map(n => `    - ./${n}/catalog-info.yaml`),
      '',
    ].join('\n'),
  );
  return location;
}

/** Sets ConfigMap `<entity>-<which>` of `entity` to `value`, written whole at once. */
export async function setManifest(dir, entity, which, value) {
  const file = path.join(dir, entity, 'deploy', `${which}.yaml`);
  await fs.writeFile(`${file}.tmp`, configMap(`${entity}-${which}`, value));
  await fs.rename(`${file}.tmp`, file);
}

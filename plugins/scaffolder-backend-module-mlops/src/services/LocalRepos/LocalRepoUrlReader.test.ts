import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { LocalRepoUrlReader } from './LocalRepoUrlReader';
import { localRepoUrlReaderFactory } from './localRepoUrlReaderFactory';

describe('LocalRepoUrlReader', () => {
  let base: string;
  let root: string;
  let reader: ReturnType<typeof UrlReaders.default>;

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-reader-'));
    root = path.join(base, 'repos');
    await fs.mkdir(path.join(root, 'repo', 'deploy'), { recursive: true });
    await fs.writeFile(
      path.join(root, 'repo', 'catalog-info.yaml'),
      'kind: Component\n',
    );
    await fs.writeFile(
      path.join(root, 'repo', 'deploy', 'job.yaml'),
      'kind: PyTorchJob\n',
    );
    await fs.writeFile(path.join(base, 'secret.txt'), 'secret');
    await fs.symlink(
      path.join(base, 'secret.txt'),
      path.join(root, 'repo', 'link.yaml'),
    );
    const factory = await (localRepoUrlReaderFactory as any).factory({});
    reader = UrlReaders.default({
      config: new ConfigReader({
        mlops: { scaffolder: { localPublish: { root } } },
      }),
      logger: mockServices.logger.mock(),
      factories: [factory],
    });
  });
  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  const url = (p: string) => pathToFileURL(p).href;

  it('serves catalog-info.yaml through search, as the catalog asks for it', async () => {
    const result = await reader.search(
      url(path.join(root, 'repo', 'catalog-info.yaml')),
    );
    expect(result.files).toHaveLength(1);
    expect((await result.files[0].content()).toString()).toBe(
      'kind: Component\n',
    );
  });

  it('reads files and trees under the root', async () => {
    const file = await reader.readUrl(
      url(path.join(root, 'repo', 'deploy', 'job.yaml')),
    );
    expect((await file.buffer()).toString()).toBe('kind: PyTorchJob\n');
    const tree = await reader.readTree(url(path.join(root, 'repo', 'deploy')));
    const files = await tree.files();
    expect(files.map(f => f.path)).toEqual(['job.yaml']);
  });

  it('refuses files outside the root, also through a symlink or ..', async () => {
    await expect(
      reader.readUrl(url(path.join(base, 'secret.txt'))),
    ).rejects.toThrow();
    await expect(
      reader.readUrl(url(path.join(root, 'repo', 'link.yaml'))),
    ).rejects.toThrow(/not allowed|outside the local publish root/);
    const direct = new LocalRepoUrlReader(root, {} as any);
    await expect(
      direct.readUrl(url(path.join(root, 'repo', 'link.yaml'))),
    ).rejects.toThrow(/outside the local publish root/);
    await expect(
      reader.readUrl(`${url(root)}/repo/../../secret.txt`),
    ).rejects.toThrow();
  });

  it('handles only file: URLs under the root', () => {
    const direct = new LocalRepoUrlReader(root, {} as any);
    expect(direct.handles(new URL(url(path.join(root, 'x'))))).toBe(true);
    expect(direct.handles(new URL(url('/etc/passwd')))).toBe(false);
    expect(direct.handles(new URL('https://example.com/x'))).toBe(false);
  });
});

import type {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ManifestMemo } from './ManifestMemo';
import { readEntityManifests } from './readEntityManifests';

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

const entityAt = (location: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'app',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': location,
      'mlops/manifests': './deploy',
      'mlops/namespace': 'ns',
    },
  },
  spec: { type: 'model-server', owner: 'group:default/team' },
});

const values = (read: Awaited<ReturnType<typeof readEntityManifests>>) =>
  read.manifests.map(
    m => `${m.object.metadata.name}=${(m.object.data as any).value}`,
  );

const noReader = {} as UrlReaderService;
const allowedFileRoots = [os.tmpdir()];

describe('readEntityManifests from a file location with a memo', () => {
  let repo: string;
  let deploy: string;
  let entity: Entity;
  let memo: ManifestMemo;

  const write = (file: string, text: string) =>
    fs.writeFileSync(path.join(deploy, file), text);

  /** Runs the reads as if every file was last changed 10 s ago, past the 2 s settle window. */
  const later = () => {
    const realNow = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(realNow + 10_000);
  };

  /** A new timestamp tick, so an edit cannot share the coarse clock value of the last one. */
  const nextTick = () => new Promise(r => setTimeout(r, 50));

  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-manifests-'));
    deploy = path.join(repo, 'deploy');
    fs.mkdirSync(deploy);
    entity = entityAt(`file:${path.join(repo, 'catalog-info.yaml')}`);
    memo = new ManifestMemo();
    write('a.yaml', configMap('a', 'one'));
    write('b.yaml', configMap('b', 'one'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('returns the remembered result for an unchanged settled directory without opening a file', async () => {
    later();
    const first = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(values(first)).toEqual(['a=one', 'b=one']);
    const open = jest.spyOn(fsPromises, 'open');
    const second = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(second).toBe(first);
    expect(open).not.toHaveBeenCalled();
  });

  it('sees an in-place edit of the same size even with the old mtime put back', async () => {
    const file = path.join(deploy, 'a.yaml');
    // A whole second, so the mtime can be put back exactly (a Date would drop the nanoseconds).
    const mtime = 1_700_000_000;
    fs.utimesSync(file, mtime, mtime);
    later();
    const first = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    const before = fs.statSync(file, { bigint: true });
    await nextTick();
    write('a.yaml', configMap('a', 'two'));
    fs.utimesSync(file, mtime, mtime);
    const after = fs.statSync(file, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([
      before.ino,
      before.size,
      before.mtimeNs,
    ]);
    const second = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(values(second)).toEqual(['a=two', 'b=one']);
    expect(second.revision).not.toBe(first.revision);
  });

  it('sees a file added and a file removed', async () => {
    later();
    const first = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    write('c.yaml', configMap('c', 'one'));
    const added = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(values(added)).toEqual(['a=one', 'b=one', 'c=one']);
    fs.rmSync(path.join(deploy, 'a.yaml'));
    const removed = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(values(removed)).toEqual(['b=one', 'c=one']);
    expect(
      new Set([first.revision, added.revision, removed.revision]).size,
    ).toBe(3);
  });

  it('reads a recently changed directory again on every call, and remembers it once settled', async () => {
    const first = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    const second = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(memo.size).toBe(0);

    later();
    const settled = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(
      await readEntityManifests(entity, noReader, { memo, allowedFileRoots }),
    ).toBe(settled);
  });

  it('forgets a remembered directory when one of its files changes, and keeps reading it while that file is recent', async () => {
    later();
    await readEntityManifests(entity, noReader, { memo, allowedFileRoots });
    expect(memo.size).toBe(1);
    jest.restoreAllMocks();
    write('b.yaml', configMap('b', 'two'));
    const fresh = await readEntityManifests(entity, noReader, {
      memo,
      allowedFileRoots,
    });
    expect(values(fresh)).toEqual(['a=one', 'b=two']);
    expect(memo.size).toBe(0);
    expect(
      await readEntityManifests(entity, noReader, { memo, allowedFileRoots }),
    ).not.toBe(fresh);
  });
});

describe('readEntityManifests from a url location with a memo', () => {
  const entity = entityAt(
    'url:https://github.com/acme/models/blob/main/llm/catalog-info.yaml',
  );
  const source = 'https://github.com/acme/models/blob/main/llm/deploy/';

  /** A UrlReader answering each readTree call in turn, recording the options it got. */
  function fakeReader(
    answers: Array<{ etag: string; files: Record<string, string> } | Error>,
  ) {
    const calls: Array<{
      url: string;
      options?: UrlReaderServiceReadTreeOptions;
    }> = [];
    const reader = {
      readTree: async (
        url: string,
        options?: UrlReaderServiceReadTreeOptions,
      ): Promise<UrlReaderServiceReadTreeResponse> => {
        calls.push({ url, options });
        const answer = answers[calls.length - 1];
        if (!answer) throw new Error('unexpected readTree call');
        if (answer instanceof Error) throw answer;
        return {
          etag: answer.etag,
          files: async () =>
            Object.entries(answer.files).map(([p, text]) => ({
              path: p,
              content: async () => Buffer.from(text),
            })),
          archive: async () => {
            throw new Error('not used');
          },
          dir: async () => {
            throw new Error('not used');
          },
        };
      },
    } as unknown as UrlReaderService;
    return { reader, calls };
  }

  it('asks with the remembered etag and returns the remembered result on NotModified', async () => {
    const { reader, calls } = fakeReader([
      { etag: 'e1', files: { 'a.yaml': configMap('a', 'one') } },
      new NotModifiedError(),
    ]);
    const memo = new ManifestMemo();
    const first = await readEntityManifests(entity, reader, {
      memo,
      allowedFileRoots,
    });
    expect(values(first)).toEqual(['a=one']);
    const second = await readEntityManifests(entity, reader, {
      memo,
      allowedFileRoots,
    });
    expect(second).toBe(first);
    expect(calls.map(c => [c.url, c.options?.etag])).toEqual([
      [source, undefined],
      [source, 'e1'],
    ]);
  });

  it('parses a tree with a new etag and asks with that etag next', async () => {
    const { reader, calls } = fakeReader([
      { etag: 'e1', files: { 'a.yaml': configMap('a', 'one') } },
      { etag: 'e2', files: { 'a.yaml': configMap('a', 'two') } },
      new NotModifiedError(),
    ]);
    const memo = new ManifestMemo();
    const first = await readEntityManifests(entity, reader, {
      memo,
      allowedFileRoots,
    });
    const second = await readEntityManifests(entity, reader, {
      memo,
      allowedFileRoots,
    });
    expect(values(second)).toEqual(['a=two']);
    expect(second.revision).not.toBe(first.revision);
    expect(
      await readEntityManifests(entity, reader, { memo, allowedFileRoots }),
    ).toBe(second);
    expect(calls.map(c => c.options?.etag)).toEqual([undefined, 'e1', 'e2']);
  });

  it('passes other read errors through without touching the remembered result', async () => {
    const { reader } = fakeReader([
      { etag: 'e1', files: { 'a.yaml': configMap('a', 'one') } },
      new Error('rate limited'),
      new NotModifiedError(),
    ]);
    const memo = new ManifestMemo();
    const first = await readEntityManifests(entity, reader, {
      memo,
      allowedFileRoots,
    });
    await expect(
      readEntityManifests(entity, reader, { memo, allowedFileRoots }),
    ).rejects.toThrow('rate limited');
    expect(
      await readEntityManifests(entity, reader, { memo, allowedFileRoots }),
    ).toBe(first);
  });
});

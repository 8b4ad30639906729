import zlib from 'node:zlib';
import { EncodedBodies } from './EncodedBodies';

describe('EncodedBodies', () => {
  it('builds once per version and hands out the same bytes until the version changes', () => {
    const bodies = new EncodedBodies(10);
    const build = jest.fn(() => ({ phase: 'Running', replicas: 2 }));
    const first = bodies.get('a', 'v1', build);
    expect(bodies.get('a', 'v1', build)).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    expect(JSON.parse(first.json.toString())).toEqual({
      phase: 'Running',
      replicas: 2,
    });
    expect(zlib.gunzipSync(first.gzip).equals(first.json)).toBe(true);
    expect(first.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);

    build.mockReturnValueOnce({ phase: 'Succeeded', replicas: 2 });
    const second = bodies.get('a', 'v2', build);
    expect(build).toHaveBeenCalledTimes(2);
    expect(second.etag).not.toBe(first.etag);
    expect(JSON.parse(second.json.toString()).phase).toBe('Succeeded');
  });

  it('gives equal JSON the same ETag and keeps at most maxEntries keys', () => {
    const bodies = new EncodedBodies(2);
    const a = bodies.get('a', 'v1', () => ({ x: 1 }));
    const b = bodies.get('b', 'v9', () => ({ x: 1 }));
    expect(b.etag).toBe(a.etag);
    bodies.get('c', 'v1', () => ({ x: 2 }));
    expect(bodies.size).toBe(2);
    const build = jest.fn(() => ({ x: 1 }));
    bodies.get('a', 'v1', build);
    expect(build).toHaveBeenCalledTimes(1);
  });
});

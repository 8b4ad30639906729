import type { Entity } from '@backstage/catalog-model';
import { checkedManifestsPath, manifestLocation } from './manifestLocation';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'x',
    annotations: { 'mlops/manifests': './deploy', ...annotations },
  },
});

describe('checkedManifestsPath', () => {
  it.each([
    ['./deploy', 'deploy'],
    ['deploy/', 'deploy'],
    ['k8s/prod', 'k8s/prod'],
    ['./a_b/c-d/e.f', 'a_b/c-d/e.f'],
  ])('takes %s as %s', (value, expected) => {
    expect(checkedManifestsPath(value)).toBe(expected);
  });

  it.each([
    ['', /is empty/],
    ['.', /"\." or "\.\."/],
    ['./deploy/../../x', /"\." or "\.\."/],
    ['/etc', /absolute path/],
    ['file:/etc', /URL or carries a scheme/],
    ['https://other/repo', /URL or carries a scheme/],
    ['C:\\x', /URL or carries a scheme/],
    ['%2e%2e/x', /not a plain name/],
    ['deploy\\..\\..', /not a plain name/],
    ['deploy?ref=x', /not a plain name/],
    ['deploy#x', /not a plain name/],
    ['.git/hooks', /not a plain name/],
    ['a//b', /not a plain name/],
    [Array(17).fill('a').join('/'), /more than 16 path segments/],
  ])('refuses %j', (value, reason) => {
    expect(() => checkedManifestsPath(value)).toThrow(reason);
  });
});

describe('manifestLocation', () => {
  it('reads from the location the catalog recorded, never source-location', () => {
    const location = manifestLocation(
      entity({
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/ml-a/blob/main/catalog-info.yaml',
        'backstage.io/source-location': 'file:/etc/',
      }),
    );
    expect(location).toEqual({
      type: 'url',
      url: 'https://github.com/acme/ml-a/blob/main/deploy/',
      sourceUrl: 'https://github.com/acme/ml-a/blob/main/catalog-info.yaml',
    });
  });

  it('joins file locations to the catalog file directory', () => {
    expect(
      manifestLocation(
        entity({
          'backstage.io/managed-by-location':
            'file:/srv/repos/a/catalog-info.yaml',
        }),
      ),
    ).toEqual({
      type: 'file',
      base: '/srv/repos/a',
      dir: '/srv/repos/a/deploy',
      sourceUrl: 'file:///srv/repos/a/catalog-info.yaml',
    });
  });

  it('refuses entities without a recorded location, or with one it cannot read', () => {
    expect(() => manifestLocation(entity({}))).toThrow(
      /no backstage.io\/managed-by-location annotation/,
    );
    expect(() =>
      manifestLocation(
        entity({ 'backstage.io/managed-by-location': 'file:relative/c.yaml' }),
      ),
    ).toThrow(/relative file path/);
    expect(() =>
      manifestLocation(
        entity({ 'backstage.io/managed-by-location': 'url:ftp://host/c.yaml' }),
      ),
    ).toThrow(/ftp: scheme/);
    expect(() =>
      manifestLocation(
        entity({ 'backstage.io/managed-by-location': 'github-org:acme' }),
      ),
    ).toThrow(/not supported/);
  });
});

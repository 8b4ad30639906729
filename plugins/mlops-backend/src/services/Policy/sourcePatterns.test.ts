import { compileSourcePattern, matchingSource } from './sourcePatterns';

describe('namespace source patterns', () => {
  const patterns = [
    'https://github.com/acme/ml-*',
    '/srv/repos/*',
    'file:///data/teams/**/ml',
  ].map(compileSourcePattern);
  const match = (url: string) => matchingSource(url, patterns)?.pattern;

  it.each([
    [
      'https://github.com/acme/ml-llama/blob/main/catalog-info.yaml',
      'https://github.com/acme/ml-*',
    ],
    [
      'https://GITHUB.com/acme/ml-llama/blob/main/catalog-info.yaml',
      'https://github.com/acme/ml-*',
    ],
    ['file:///srv/repos/llama/catalog-info.yaml', 'file:///srv/repos/*'],
    ['file:///data/teams/a/b/ml/catalog-info.yaml', 'file:///data/teams/**/ml'],
  ])('admits %s', (url, pattern) => {
    expect(match(url)).toBe(pattern);
  });

  it.each([
    'https://github.com/acme/other/blob/main/catalog-info.yaml',
    'https://github.com/acme/ml-a/../../evil/x/blob/main/catalog-info.yaml',
    'https://github.com/acme/ml-a%2F..%2F..%2Fevil/blob/main/catalog-info.yaml',
    'https://github.com.evil.example/acme/ml-a/blob/main/catalog-info.yaml',
    'http://github.com/acme/ml-a/blob/main/catalog-info.yaml',
    'file:///srv/reposX/llama/catalog-info.yaml',
    'file:///srv/repos/../../etc/catalog-info.yaml',
    'not a url',
  ])('refuses %s', url => {
    expect(match(url)).toBeUndefined();
  });

  it('refuses patterns that admit everything or are not URLs, naming why', () => {
    expect(() => compileSourcePattern('*')).toThrow(
      /would admit every repository/,
    );
    expect(() => compileSourcePattern('github.com/acme/*')).toThrow(
      /neither a URL nor an absolute path/,
    );
    expect(() => compileSourcePattern('ssh://git@github.com/acme/*')).toThrow(
      /uses ssh:/,
    );
    expect(() => compileSourcePattern('https://*.example.com/x')).toThrow(
      /wildcard in its host/,
    );
  });
});

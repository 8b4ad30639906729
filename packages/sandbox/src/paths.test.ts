import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binaryPaths, resolveCrdsDir } from './paths';
import { readCrds } from './crds';

describe('resolveCrdsDir', () => {
  const saved = process.env.MLOPS_SANDBOX_CRDS_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.MLOPS_SANDBOX_CRDS_DIR;
    else process.env.MLOPS_SANDBOX_CRDS_DIR = saved;
  });

  it('prefers the explicit directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    expect(resolveCrdsDir(dir)).toBe(dir);
  });

  it('names the places it looked and the variable to set when none exists', () => {
    expect(() => resolveCrdsDir('/nonexistent/crds')).toThrow(
      'No CRD directory found (looked at /nonexistent/crds). Set MLOPS_SANDBOX_CRDS_DIR to a directory of CustomResourceDefinition YAML files.',
    );
  });

  it('refuses a directory without CRDs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    fs.writeFileSync(
      path.join(dir, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    );
    expect(() => readCrds(dir)).toThrow(
      `No CustomResourceDefinition found in ${dir}`,
    );
  });
});

describe('binaryPaths', () => {
  it('keys binaries by version under the cache directory', () => {
    const paths = binaryPaths('/cache');
    expect(paths.kubeApiserver).toMatch(
      /^\/cache\/bin\/v1\.34\.\d+\/kube-apiserver$/,
    );
    expect(paths.etcd).toMatch(/^\/cache\/bin\/etcd-v3\.6\.\d+\/etcd$/);
  });
});

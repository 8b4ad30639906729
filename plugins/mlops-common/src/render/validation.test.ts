import { z } from 'zod';
import {
  boundedInt,
  dnsLabel,
  entityRef,
  imageReference,
  modelUri,
  parseWith,
  plainText,
  quantity,
  s3Uri,
  SpecValidationError,
} from './validation';

function message(schema: z.ZodTypeAny, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0].message;
}

describe('validation helpers', () => {
  it('dnsLabel accepts Kubernetes names and explains the rule otherwise', () => {
    expect(message(dnsLabel(40), 'resnet50-ddp')).toBeUndefined();
    for (const bad of [
      '../etc',
      'ResNet',
      'a_b',
      '-a',
      'a-',
      '',
      'a'.repeat(41),
      'a\nb',
    ]) {
      expect(message(dnsLabel(40), bad)).toMatch(
        /^must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 40 characters \(got /,
      );
    }
  });

  it('shows a 300-character value cut short', () => {
    expect(message(dnsLabel(), 'a'.repeat(300))).toContain('(302 characters)');
  });

  it('boundedInt accepts whole numbers in range, also as digit strings', () => {
    expect(boundedInt(0, 16).parse(8)).toBe(8);
    expect(boundedInt(0, 16).parse('8')).toBe(8);
    for (const bad of [-1, 17, 1e9, 1.5, '1e3', 'eight', NaN, Infinity, null]) {
      expect(message(boundedInt(0, 16), bad)).toMatch(
        /^must be a whole number from 0 to 16 \(got /,
      );
    }
  });

  it('imageReference accepts registries, tags and digests', () => {
    for (const ok of [
      'pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime',
      'registry.example.com:5000/team/train:v1',
      `ghcr.io/org/img@sha256:${'a'.repeat(64)}`,
      'localhost/train',
    ]) {
      expect(message(imageReference(), ok)).toBeUndefined();
    }
    for (const bad of [
      'Pytorch/Pytorch',
      'img:tag;rm -rf /',
      'img:$(id)',
      'a b',
      '',
      'img:',
    ]) {
      expect(message(imageReference(), bad)).toMatch(
        /^must be a container image reference/,
      );
    }
  });

  it('s3Uri accepts buckets and plain keys only', () => {
    expect(message(s3Uri(), 's3://datasets/imagenet/train')).toBeUndefined();
    expect(message(s3Uri(), 's3://datasets/')).toBeUndefined();
    for (const bad of [
      'http://x/y',
      's3://UPPER/x',
      's3://b/../x',
      "s3://bucket/a'b",
      's3://bucket/a b',
      's3://bucket/$(id)',
      's3://bucket/a;b',
    ]) {
      expect(message(s3Uri(), bad)).toMatch(
        /^must be an S3 URI "s3:\/\/bucket\/prefix"/,
      );
    }
  });

  it('modelUri takes hf:// or s3://', () => {
    expect(message(modelUri(), 'hf://meta-llama/Llama-3.1-8B')).toBeUndefined();
    expect(message(modelUri(), 's3://models/llama')).toBeUndefined();
    expect(message(modelUri(), 'hf://x/y/../z')).toMatch(
      /^must be "hf:\/\/org\/model"/,
    );
  });

  it('quantity refuses zero, negatives and junk', () => {
    expect(message(quantity(), '64Gi')).toBeUndefined();
    expect(message(quantity(), '500m')).toBeUndefined();
    for (const bad of ['0', '-1', '64GB', '1e3', '', '0Gi']) {
      expect(message(quantity(), bad)).toMatch(
        /^must be a positive Kubernetes quantity/,
      );
    }
  });

  it('plainText refuses YAML, shell and Markdown metacharacters', () => {
    expect(
      message(plainText(200), 'ResNet-50 on ImageNet (8 x H100)'),
    ).toBeUndefined();
    for (const bad of [
      'a: b',
      '$(rm -rf /)',
      '`id`',
      'a; b',
      'a | b',
      'x\ny',
      '{a}',
      '# h',
      "it's",
      'a & b',
    ]) {
      expect(message(plainText(200), bad)).toMatch(
        /^must be plain text of at most 200 characters/,
      );
    }
  });

  it('entityRef accepts full and short references', () => {
    expect(message(entityRef(), 'group:default/ml-platform')).toBeUndefined();
    expect(message(entityRef(), 'ml-platform')).toBeUndefined();
    expect(message(entityRef(), 'group:default/a b')).toMatch(
      /^must be a catalog entity reference/,
    );
  });

  it('parseWith lists every problem with its field', () => {
    const schema = z
      .object({ name: dnsLabel(), gpus: boundedInt(0, 8) })
      .strict();
    let error: SpecValidationError | undefined;
    try {
      parseWith(schema, 'spec', { name: 'A', gpus: 9, extra: 1 });
    } catch (e) {
      error = e as SpecValidationError;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    expect(error!.problems.map(p => p.field)).toEqual([
      'name',
      'gpus',
      '(input)',
    ]);
    expect(error!.message).toContain(
      '  - gpus: must be a whole number from 0 to 8 (got 9)',
    );
    expect(error!.message).toContain('unknown field(s) "extra"');
  });
});

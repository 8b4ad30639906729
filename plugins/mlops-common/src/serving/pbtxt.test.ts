import { parseServingSpec, planServing } from '.';
import { PbBlocks, PbEnum, toPbtxt } from './pbtxt';
import {
  EnumValue,
  parseTextProto,
  type TextMessage,
} from './testing/pbtxtParser';
import { renderModelRepositoryFiles } from './triton';

function only(message: TextMessage, field: string) {
  const values = message[field];
  expect(values).toHaveLength(1);
  return values[0];
}

function parameters(message: TextMessage): Record<string, string> {
  return Object.fromEntries(
    message.parameters.map(p => {
      const entry = p as TextMessage;
      return [
        only(entry, 'key'),
        only(only(entry, 'value') as TextMessage, 'string_value'),
      ];
    }),
  );
}

const base = {
  name: 'chat',
  owner: 'group:default/ml-platform-team',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  modelUri: 's3://models/llama-3.1-8b',
};

describe('config.pbtxt round trip through a text-format parser', () => {
  it('the vLLM backend config holds backend, KIND_MODEL and REPORT_CUSTOM_METRICS', () => {
    const spec = parseServingSpec({ ...base, engine: 'triton-vllm' });
    const plan = planServing(spec);
    const files = renderModelRepositoryFiles(spec, plan);
    const config = parseTextProto(
      files.find(f => f.key === 'config.pbtxt')!.content,
    );
    expect(only(config, 'name')).toBe('chat');
    expect(only(config, 'backend')).toBe('vllm');
    expect(only(config, 'max_batch_size')).toBe(0);
    const group = only(config, 'instance_group') as TextMessage;
    expect(only(group, 'kind')).toEqual(new EnumValue('KIND_MODEL'));
    expect(only(group, 'count')).toBe(1);
    expect(parameters(config)).toEqual({ REPORT_CUSTOM_METRICS: 'true' });
    const modelJson = JSON.parse(
      files.find(f => f.key === 'model.json')!.content,
    );
    expect(modelJson).toMatchObject({
      model: '/models/llama-3.1-8b-instruct--main',
      tensor_parallel_size: 1,
      gpu_memory_utilization: 0.9,
      max_model_len: 8192,
      max_num_seqs: plan.maxNumSeqs,
      enable_prefix_caching: true,
    });
  });

  it('the TensorRT-LLM config holds in-flight batching, dynamic batching and the planned KV cache', () => {
    const spec = parseServingSpec({
      ...base,
      engine: 'triton-tensorrt-llm',
      tensorParallelSize: 2,
      maxQueueDelayMicroseconds: 250,
    });
    const plan = planServing(spec);
    const files = renderModelRepositoryFiles(spec, plan);
    const config = parseTextProto(
      files.find(f => f.key === 'config.pbtxt')!.content,
    );
    expect(only(config, 'backend')).toBe('tensorrtllm');
    expect(only(config, 'max_batch_size')).toBe(plan.maxNumSeqs);
    const batching = only(config, 'dynamic_batching') as TextMessage;
    expect(batching.preferred_batch_size).toEqual([plan.maxNumSeqs]);
    expect(only(batching, 'max_queue_delay_microseconds')).toBe(250);
    expect(
      only(
        only(config, 'model_transaction_policy') as TextMessage,
        'decoupled',
      ),
    ).toBe(true);
    const group = only(config, 'instance_group') as TextMessage;
    expect(only(group, 'kind')).toEqual(new EnumValue('KIND_CPU'));
    const params = parameters(config);
    expect(params.gpt_model_type).toBe('inflight_fused_batching');
    expect(params.gpt_model_path).toBe(
      '/models/llama-3.1-8b-instruct--main/engine',
    );
    expect(Number(params.kv_cache_free_gpu_mem_fraction)).toBeGreaterThan(0.5);
    expect(Number(params.kv_cache_free_gpu_mem_fraction)).toBeLessThanOrEqual(
      0.95,
    );
    expect(Number(params.max_tokens_in_paged_kv_cache)).toBe(
      plan.memory.kvCacheTokens,
    );
    const inputs = config.input.map(i => only(i as TextMessage, 'name'));
    expect(inputs).toEqual(
      expect.arrayContaining([
        'input_ids',
        'input_lengths',
        'request_output_len',
      ]),
    );
    const ids = config.input[0] as TextMessage;
    expect(ids.dims).toEqual([-1]);
    expect(only(ids, 'data_type')).toEqual(new EnumValue('TYPE_INT32'));
    const lengths = config.input[1] as TextMessage;
    expect((only(lengths, 'reshape') as TextMessage).shape).toEqual([]);
  });

  it('escapes strings so they read back exactly', () => {
    const tricky = 'a "quoted" \\ back\nslash é 字';
    const text = toPbtxt({
      name: tricky,
      kind: new PbEnum('KIND_GPU'),
      dims: [-1, 3],
      empty: [],
      nested: { flag: false, ratio: 0.25 },
      parameters: new PbBlocks([{ key: 'k', value: { string_value: tricky } }]),
    });
    const parsed = parseTextProto(text);
    expect(only(parsed, 'name')).toBe(tricky);
    expect(only(parsed, 'kind')).toEqual(new EnumValue('KIND_GPU'));
    expect(parsed.dims).toEqual([-1, 3]);
    expect(parsed.empty).toEqual([]);
    expect(only(only(parsed, 'nested') as TextMessage, 'ratio')).toBe(0.25);
    expect(parameters(parsed)).toEqual({ k: tricky });
  });

  it('the parser rejects malformed text rather than guessing', () => {
    expect(() => parseTextProto('name: "unterminated')).toThrow(SyntaxError);
    expect(() => parseTextProto('a { b: 1')).toThrow(SyntaxError);
    expect(() => parseTextProto('a: [1, 2')).toThrow(SyntaxError);
    expect(() => parseTextProto('a 1')).toThrow(SyntaxError);
  });

  it('the writer refuses names that are not identifiers', () => {
    expect(() => toPbtxt({ 'bad name': 1 })).toThrow(RangeError);
    expect(() => new PbEnum('KIND GPU')).toThrow(RangeError);
  });
});

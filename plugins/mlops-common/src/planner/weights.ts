/**
 * Weights one tensor-parallel rank holds, the way vLLM lays them out: column- and row-parallel
 * linears split by TP, KV projections replicated once TP exceeds the KV heads
 * (QKVParallelLinear), embeddings and LM head split by vocabulary padded to 64
 * (VocabParallelEmbedding), MLA's down-projections and MoE routers replicated
 * (ReplicatedLinear), experts split along their intermediate size (FusedMoE without expert
 * parallelism). vLLM measures what loading took (`model_memory_usage`, logged as "Model
 * loading took"), which also holds the rotary cos/sin cache.
 */
import {
  hasLayout,
  type ModelArchitecture,
  type WeightDtype,
} from './modelArchitecture';
import { MIB, type Range } from './units';

/** Parameters per GPU by how they are stored. */
export interface WeightLayout {
  /** Linear layers a quantized checkpoint quantizes (attention, dense and shared MLPs). */
  linear: number;
  /** Routed experts (the only quantized part of an MXFP4 checkpoint). */
  experts: number;
  /** Embeddings, LM head, norms, biases, routers and encoders: always 16-bit. */
  sixteenBit: number;
}

/** Bytes per parameter of a 4-bit group-128 layout: packed nibbles, fp16 scale, 4-bit zero. */
const INT4_G128 = 0.5 + (2 + 0.5) / 128;
/** MXFP4: packed nibbles and one e8m0 scale per 32 values. */
const MXFP4 = 0.5 + 1 / 32;

const LINEAR_BYTES: Record<WeightDtype, number> = {
  bfloat16: 2,
  float16: 2,
  fp8: 1,
  'fp8-block': 1 + 4 / (128 * 128),
  int8: 1,
  int4: INT4_G128,
  'awq-int4': INT4_G128,
  'gptq-int4': INT4_G128,
  mxfp4: 2,
};

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/** KV heads one rank holds: split across ranks, or one replicated head once TP exceeds them. @public */
export function kvHeadsPerGpu(numKvHeads: number, tp: number): number {
  return Math.max(1, Math.floor(numKvHeads / tp));
}

function attentionParams(
  m: ModelArchitecture & { numAttentionHeads: number; hiddenSize: number },
  tp: number,
): Pick<WeightLayout, 'linear' | 'sixteenBit'> {
  const h = m.hiddenSize;
  const heads = m.numAttentionHeads;
  if (m.mla) {
    const a = m.mla;
    const qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
    const q = a.qLoraRank
      ? h * a.qLoraRank + (a.qLoraRank * heads * qHead) / tp
      : (h * heads * qHead) / tp;
    const kv =
      h * (a.kvLoraRank + a.qkRopeHeadDim) +
      (a.kvLoraRank * heads * (a.qkNopeHeadDim + a.vHeadDim)) / tp;
    const o = (heads * a.vHeadDim * h) / tp;
    return {
      linear: q + kv + o,
      sixteenBit: a.kvLoraRank + (a.qLoraRank ?? 0),
    };
  }
  const kvHeads = kvHeadsPerGpu(m.numKvHeads, tp);
  const q = (h * heads * m.headDim) / tp;
  const kv = 2 * h * kvHeads * m.headDim;
  const o = (heads * m.headDim * h) / tp;
  const bias = m.attentionBias
    ? (heads * m.headDim) / tp + 2 * kvHeads * m.headDim
    : 0;
  return { linear: q + kv + o, sixteenBit: bias };
}

/** Parameters of one rank by storage class; requires a full layout (see hasLayout). */
export function weightLayout(m: ModelArchitecture, tp: number): WeightLayout {
  if (!hasLayout(m)) {
    throw new RangeError(
      'the weight layout needs numAttentionHeads, hiddenSize, vocabSize and intermediateSize (or moe)',
    );
  }
  const h = m.hiddenSize;
  const attention = attentionParams(m, tp);
  const moeLayers = m.moe ? m.numLayers - (m.moe.denseLayers ?? 0) : 0;
  const denseLayers = m.numLayers - moeLayers;
  const denseMlp = (3 * h * (m.intermediateSize ?? 0)) / tp;
  let experts = 0;
  let shared = 0;
  let routers = 0;
  if (m.moe) {
    const e = m.moe;
    experts = (e.numExperts * 3 * h * e.expertIntermediateSize) / tp;
    shared = (3 * h * (e.sharedIntermediateSize ?? 0)) / tp;
    routers =
      h * e.numExperts +
      (e.expertBias
        ? (e.numExperts * (2 * e.expertIntermediateSize + h)) / tp +
          e.numExperts
        : 0);
  }
  const vocab = roundUp(m.vocabSize, 64) / tp;
  const embeddings = vocab * h * (m.tieWordEmbeddings ? 1 : 2);
  const norms = 2 * h;
  return {
    linear:
      m.numLayers * attention.linear +
      denseLayers * denseMlp +
      moeLayers * shared,
    experts: moeLayers * experts,
    sixteenBit:
      m.numLayers * (attention.sixteenBit + norms) +
      moeLayers * routers +
      embeddings +
      h +
      (m.encoderParams ?? 0) / tp,
  };
}

/**
 * Expert padding of vLLM's MXFP4 MoE method (vllm/model_executor/layers/quantization/mxfp4.py
 * `Mxfp4MoEMethod.create_weights`), which rounds each rank's expert intermediate size up for
 * its kernels (to 256 on the Hopper/Triton path: gpt-oss 2880 → 3072); other backends also pad
 * the hidden size, which the 4-bit spread of the high estimate covers.
 */
function mxfp4Padding(m: ModelArchitecture, tp: number): number {
  if (!m.moe) return 1;
  const inter = m.moe.expertIntermediateSize / tp;
  return roundUp(inter, 256) / inter;
}

/** The rotary cos/sin cache vLLM keeps in the model dtype, one row per position. */
function rotaryBytes(m: ModelArchitecture): number {
  const rotary = m.mla ? m.mla.qkRopeHeadDim : m.headDim;
  return (m.maxPositionEmbeddings ?? 8192) * rotary * 2;
}

function layoutBytes(
  layout: WeightLayout,
  dtype: WeightDtype,
  expertPadding: number,
): number {
  const linear = LINEAR_BYTES[dtype];
  const experts = dtype === 'mxfp4' ? MXFP4 * expertPadding : linear;
  return (
    layout.linear * linear + layout.experts * experts + layout.sixteenBit * 2
  );
}

/**
 * Weights of one rank, as "Model loading took" will show them: low is the bare layout, middle
 * adds the rotary cache and kernel padding, high allows for buffers and repacking the layout
 * does not show (0.3% and 64 MiB for 8- and 16-bit checkpoints, 2% for int4 and 5% for MXFP4,
 * whose kernels pad by backend, and 96 MiB more above TP 1).
 *
 * @public
 */
export function weightBytesPerGpu(
  m: ModelArchitecture,
  tp: number,
  modelDtype: 'bfloat16' | 'float16' = 'bfloat16',
): Range {
  const dtype = m.weightDtype ?? modelDtype;
  const fourBit = dtype === 'mxfp4' || LINEAR_BYTES[dtype] < 1;
  const slack = 64 * MIB + (tp > 1 ? 96 * MIB : 0);
  let spread = fourBit ? 0.02 : 0.003;
  if (dtype === 'mxfp4') spread = 0.05;
  let low: number;
  let middle: number;
  if (m.weightBytes !== undefined) {
    low = m.weightBytes / tp;
    middle = low;
  } else if (hasLayout(m)) {
    const layout = weightLayout(m, tp);
    low = layoutBytes(layout, dtype, 1);
    middle = layoutBytes(layout, dtype, mxfp4Padding(m, tp)) + rotaryBytes(m);
  } else if (m.paramCount !== undefined) {
    low = estimateFromParams(m, dtype) / tp;
    middle = low + rotaryBytes(m);
  } else {
    throw new RangeError(
      'model needs weightBytes, paramCount or a full layout',
    );
  }
  return { low, middle, high: middle * (1 + spread) + slack };
}

/** Weights of a model known only by its parameter count: embeddings stay 16-bit. */
function estimateFromParams(m: ModelArchitecture, dtype: WeightDtype): number {
  const params = m.paramCount!;
  const bytes = LINEAR_BYTES[dtype];
  if (bytes >= 2 && dtype !== 'mxfp4') return params * bytes;
  const hidden =
    m.hiddenSize ?? Math.sqrt(params / (12 * Math.max(1, m.numLayers)));
  const embedding = Math.min(
    params * 0.25,
    (m.vocabSize ?? 152_064) * hidden * (m.tieWordEmbeddings ? 1 : 2),
  );
  const body = dtype === 'mxfp4' ? MXFP4 : bytes;
  return embedding * 2 + (params - embedding) * body;
}

/** Weights of the whole checkpoint on disk (all ranks), e.g. to size a model cache. */
export function checkpointBytes(m: ModelArchitecture): number {
  return weightBytesPerGpu(m, 1).low;
}

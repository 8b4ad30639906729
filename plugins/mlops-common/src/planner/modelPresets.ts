/**
 * Models the serving form offers, with the architecture numbers the planner needs. Every
 * number is copied from the model's `config.json` on Hugging Face (the `source` URL); the
 * parameter count is the safetensors total of the unquantized model, and a test recomputes it
 * from the architecture to catch a mistyped field.
 */
import { DENSE_MODEL_PRESETS } from './denseModelPresets';
import type { ModelArchitecture, WeightDtype } from './modelArchitecture';
import { MOE_MODEL_PRESETS } from './moeModelPresets';
import { QUANTIZED_MODEL_PRESETS } from './quantizedModelPresets';
import { weightLayout } from './weights';

/** @public */
export interface ModelPreset
  extends Omit<ModelArchitecture, 'weightBytes' | 'weightDtype'> {
  /** Stable id used by the templates and specs. */
  id: string;
  displayName: string;
  /** Hugging Face repository of the checkpoint. */
  huggingFaceId: string;
  /** Dense grouped-query attention, mixture of experts, or multi-head latent attention. */
  family: 'dense' | 'moe' | 'mla';
  numAttentionHeads: number;
  hiddenSize: number;
  vocabSize: number;
  tieWordEmbeddings: boolean;
  attentionBias: boolean;
  paramCount: number;
  /** Activation dtype (`--dtype`). */
  dtype: 'bfloat16';
  /** How the checkpoint stores its linear layers. */
  weightDtype: WeightDtype;
  maxPositionEmbeddings: number;
  /** Where the numbers come from. */
  source: string;
  /** What the planner does not model for this architecture, if anything. */
  note?: string;
}

/** @public */
export const MODEL_PRESETS: ReadonlyArray<ModelPreset> = [
  ...DENSE_MODEL_PRESETS,
  ...QUANTIZED_MODEL_PRESETS,
  ...MOE_MODEL_PRESETS,
];

/** Ids of {@link MODEL_PRESETS}, for enums in forms and schemas. @public */
export const MODEL_PRESET_IDS = MODEL_PRESETS.map(m => m.id) as [
  string,
  ...string[],
];

/** The preset with this id, or undefined. @public */
export function findModelPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find(m => m.id === id);
}

/** Parameters implied by a preset's architecture (all ranks, unquantized). */
export function architectureParamCount(m: ModelPreset): number {
  const layout = weightLayout({ ...m, weightDtype: 'bfloat16' }, 1);
  return layout.linear + layout.experts + layout.sixteenBit;
}

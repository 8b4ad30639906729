/**
 * GPU types the serving form offers: whole GPUs and the MIG slices of H100 and A100.
 * `memoryBytes` is what the device reports to CUDA (torch.cuda.mem_get_info's total, which vLLM
 * multiplies by --gpu-memory-utilization), not the marketing figure: an "80 GB" H100 reports
 * 79.11 GiB. Where no CUDA-reported figure was found, the nvidia-smi total minus 0.75 GiB (the
 * largest nvidia-smi-to-CUDA gap among the sourced GPUs) is used, and `derived` says so; every
 * MIG slice keeps 0.5 GiB back from its profile size for the same reason. Both err low, so the
 * planner never promises memory the device does not have.
 */

import { GIB } from './units';

/** @public */
export interface GpuPreset {
  id: string;
  displayName: string;
  /** Per GPU (or per MIG slice), as CUDA reports it. */
  memoryBytes: number;
  /** Extended resource to request: `nvidia.com/gpu`, or `nvidia.com/mig-<profile>` (mixed strategy). */
  resourceName: string;
  /** A MIG slice: one per pod, no tensor parallelism across slices. */
  mig?: { parent: string; profile: string };
  /** Value of the GPU feature discovery label `nvidia.com/gpu.product` of such nodes. */
  productLabel: string;
  /** Hopper and Ada run fp8 natively; Ampere runs fp8 weights only through weight-only kernels. */
  fp8Compute: boolean;
  /** Where the memory figure comes from. */
  source: string;
  /** How the figure was derived from the source, when it is not a CUDA-reported total. */
  derived?: string;
}

const gib = (n: number) => Math.round(n * GIB);
const MIB = 1024 ** 2;
const NVIDIA_SMI_TOTALS =
  'https://github.com/modal-labs/modal-client/pull/2797 (nvidia-smi totals per GPU type)';
const SMI_RESERVE = 0.75 * GIB;
const MIG_RESERVE = 0.5;

const H100_MIG_SOURCE =
  'https://jbarrow.ai/field_notes/nvidia-mig/ (nvidia-smi mig -lgip on an H100 80GB)';
const A100_80_MIG_SOURCE =
  'https://arcs-njit-edu.github.io/Docs/MIG/profile-comparison (global memory of A100 80GB MIG profiles)';
const A100_40_MIG_SOURCE =
  'https://docs.nvidia.com/datacenter/tesla/mig-user-guide/ (nvidia-smi mig -lgip example, A100-SXM4-40GB)';

function migSlice(
  parent: GpuPreset,
  profile: string,
  profileGiB: number,
  source: string,
): GpuPreset {
  return {
    id: `${parent.id}-mig-${profile}`,
    displayName: `${parent.displayName} MIG ${profile}`,
    memoryBytes: gib(profileGiB - MIG_RESERVE),
    resourceName: `nvidia.com/mig-${profile}`,
    mig: { parent: parent.id, profile },
    productLabel: parent.productLabel,
    fp8Compute: parent.fp8Compute,
    source,
    derived: `profile memory ${profileGiB} GiB minus ${MIG_RESERVE} GiB`,
  };
}

const H100: GpuPreset = {
  id: 'h100-80gb',
  displayName: 'NVIDIA H100 80GB',
  memoryBytes: gib(79.11),
  resourceName: 'nvidia.com/gpu',
  productLabel: 'NVIDIA-H100-80GB-HBM3',
  fp8Compute: true,
  source:
    'https://github.com/vllm-project/vllm/issues/27508 ("GPU 0 has a total capacity of 79.11 GiB" on H100)',
};
const H200: GpuPreset = {
  id: 'h200-141gb',
  displayName: 'NVIDIA H200 141GB',
  memoryBytes: Math.round(141e9 - SMI_RESERVE),
  resourceName: 'nvidia.com/gpu',
  productLabel: 'NVIDIA-H200',
  fp8Compute: true,
  source: 'https://www.nvidia.com/en-us/data-center/h200/ (141 GB HBM3e)',
  derived:
    'datasheet 141 GB (131.3 GiB) minus 0.75 GiB; the device reports more, so this errs low',
};
const A100_80: GpuPreset = {
  id: 'a100-80gb',
  displayName: 'NVIDIA A100 80GB',
  memoryBytes: gib(79.25),
  resourceName: 'nvidia.com/gpu',
  productLabel: 'NVIDIA-A100-SXM4-80GB',
  fp8Compute: false,
  source:
    'https://github.com/levihsu/OOTDiffusion/issues/235 ("79.25 GiB total capacity" on an A100 80GB)',
};
const A100_40: GpuPreset = {
  id: 'a100-40gb',
  displayName: 'NVIDIA A100 40GB',
  memoryBytes: gib(39.5),
  resourceName: 'nvidia.com/gpu',
  productLabel: 'NVIDIA-A100-SXM4-40GB',
  fp8Compute: false,
  source:
    'https://github.com/TianheWu/CoSeR/issues/10 ("GPU 0 has a total capacity of 39.50 GiB" on an A100 40GB)',
};

/** @public */
export const GPU_PRESETS: ReadonlyArray<GpuPreset> = [
  H100,
  H200,
  A100_80,
  A100_40,
  {
    id: 'l40s',
    displayName: 'NVIDIA L40S 48GB',
    memoryBytes: gib(44.4),
    resourceName: 'nvidia.com/gpu',
    productLabel: 'NVIDIA-L40S',
    fp8Compute: true,
    source:
      'https://github.com/QwenLM/Qwen3-VL/issues/2097 ("total capacity of 44.40 GiB" on an L40, the same 48 GB board memory; nvidia-smi shows 46068 MiB for both, see modal-labs/modal-client#2797)',
  },
  {
    id: 'l4',
    displayName: 'NVIDIA L4 24GB',
    memoryBytes: 23034 * MIB - SMI_RESERVE,
    resourceName: 'nvidia.com/gpu',
    productLabel: 'NVIDIA-L4',
    fp8Compute: true,
    source: NVIDIA_SMI_TOTALS,
    derived: 'nvidia-smi total 23034 MiB minus 0.75 GiB',
  },
  {
    id: 'a10g',
    displayName: 'NVIDIA A10G 24GB',
    memoryBytes: 23028 * MIB - SMI_RESERVE,
    resourceName: 'nvidia.com/gpu',
    productLabel: 'NVIDIA-A10G',
    fp8Compute: false,
    source: `${NVIDIA_SMI_TOTALS}; https://github.com/NVIDIA/DCGM/issues/232 (A10G: 23028MiB)`,
    derived: 'nvidia-smi total 23028 MiB minus 0.75 GiB',
  },
  migSlice(H100, '1g.10gb', 9.75, H100_MIG_SOURCE),
  migSlice(H100, '1g.20gb', 19.62, H100_MIG_SOURCE),
  migSlice(H100, '2g.20gb', 19.62, H100_MIG_SOURCE),
  migSlice(H100, '3g.40gb', 39.5, H100_MIG_SOURCE),
  migSlice(H100, '4g.40gb', 39.5, H100_MIG_SOURCE),
  migSlice(H100, '7g.80gb', 79.25, H100_MIG_SOURCE),
  migSlice(A100_80, '1g.10gb', 9.5, A100_80_MIG_SOURCE),
  migSlice(A100_80, '2g.20gb', 19.46, A100_80_MIG_SOURCE),
  migSlice(A100_80, '3g.40gb', 39.49, A100_80_MIG_SOURCE),
  migSlice(A100_40, '1g.5gb', 4.75, A100_40_MIG_SOURCE),
  migSlice(A100_40, '2g.10gb', 9.75, A100_40_MIG_SOURCE),
  migSlice(A100_40, '3g.20gb', 19.62, A100_40_MIG_SOURCE),
];

/** Ids of {@link GPU_PRESETS}, for enums in forms and schemas. @public */
export const GPU_PRESET_IDS = GPU_PRESETS.map(g => g.id) as [
  string,
  ...string[],
];

/** The preset with this id, or undefined. @public */
export function findGpuPreset(id: string): GpuPreset | undefined {
  return GPU_PRESETS.find(g => g.id === id);
}

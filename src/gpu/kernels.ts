/** The WGSL kernels in shaders/, one per file, by file name. */
export const KERNELS = [
  'cloud_moments',
  'jacobi_svd',
  'cloud_factor',
  'gram_tile',
  'socm_reduce',
  'pca_project',
] as const;

export type KernelName = (typeof KERNELS)[number];
export type ShaderSources = Record<KernelName, string>;

/** WebGPU flag values (spec constants), so this module needs no GPU globals to load. */
export const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const MapModeRead = 0x1;

export type { Backend, SocmEngine } from './types';
export { CpuSocmEngine } from './cpu';
export { WebGpuSocmEngine } from './webgpu';

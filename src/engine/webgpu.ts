import { GpuContext, describeAdapter, type AdapterSummary } from '../gpu/context';
import { GpuSocm } from '../gpu/engine';
import type { ShaderSources } from '../gpu/kernels';
import { checkSameWidth, type PairwiseOptions, type TokenMatrix } from '../math';
import { emptyValues } from './values';
import type { PairMeasurer, SocmEngine } from './types';

export class WebGpuSocmEngine implements SocmEngine {
  readonly backend = 'webgpu' as const;
  readonly description: string;
  readonly gpu: GpuSocm;

  constructor(readonly context: GpuContext) {
    this.gpu = new GpuSocm(context);
    this.description = `WebGPU: ${describeAdapter(context.adapter)}`;
  }

  static async create(gpu: GPU | undefined, sources: ShaderSources): Promise<WebGpuSocmEngine> {
    return new WebGpuSocmEngine(await GpuContext.create(gpu, sources));
  }

  /**
   * An engine on a device the caller already has (issue 10: onnxruntime-web's device in the
   * encoder worker). It compiles its pipelines there (once per device and kernel), keeps its
   * buffers in its own pool, and on dispose() frees them but never destroys the device.
   */
  static async fromDevice(device: GPUDevice, sources: ShaderSources, adapter?: AdapterSummary): Promise<WebGpuSocmEngine> {
    return new WebGpuSocmEngine(await GpuContext.fromDevice(device, sources, adapter));
  }

  pair(a: TokenMatrix, b: TokenMatrix) {
    return this.gpu.pair(a, b);
  }
  pairwise(texts: readonly TokenMatrix[], options?: PairwiseOptions) {
    return this.gpu.pairwise(texts, options);
  }
  pca(a: TokenMatrix, b: TokenMatrix) {
    return this.gpu.pca(a, b);
  }
  analyse(a: TokenMatrix, b: TokenMatrix) {
    return this.gpu.analyse(a, b);
  }

  async pairMeasurer(texts: readonly TokenMatrix[]): Promise<PairMeasurer> {
    checkSameWidth(texts);
    const gpu = this.gpu;
    const clouds = await gpu.prepare(texts);
    return {
      async measure(is, js, signal) {
        const out = emptyValues(is.length);
        let k = 0;
        const pairs = Array.from(is, (i, m): [number, number] => [i, js[m]]);
        await gpu.runPairs(clouds, pairs, pairs.length, (_index, outcome) => {
          for (const o of outcome) {
            out.d1[k] = o.d1;
            out.d2[k] = o.d2;
            out.socm[k] = o.socm;
            out.flagged[k++] = o.flagged ? 1 : 0;
          }
        }, { signal });
        return out;
      },
      dispose: () => gpu.release(clouds),
    };
  }
  /** Frees this engine's GPU buffers; destroys the device only if the engine created it. */
  dispose(): void {
    this.context.destroy();
  }
}

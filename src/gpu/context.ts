import { BufferUsage, KERNELS, MapModeRead, type KernelName, type ShaderSources } from './kernels';

/** Jacobi stops when every column pair has |cos| ≤ tol: its error on Σσ is O(tol²). */
export const JACOBI_TOLERANCE = 1e-5;
export const JACOBI_MAX_SWEEPS = 40;
const MAX_GROUPS_X = 65535;

/** Dispatch a 1-D count of workgroups as (x, y) within the 65,535 per-dimension limit. */
export function groups2D(count: number): [number, number] {
  const x = Math.max(1, Math.min(count, MAX_GROUPS_X));
  return [x, Math.max(1, Math.ceil(count / x))];
}

/** No usable GPU, or the GPU went away: callers fall back to the CPU and say so. */
export class GpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

export function describeAdapter(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ');
  return `${name || 'unknown adapter'}${a.isFallbackAdapter ? ' (software fallback adapter)' : ''}`;
}

/** A device with the project's pipelines compiled, and its loss tracked. */
export class GpuContext {
  readonly pipelines: Record<KernelName, GPUComputePipeline>;
  private lostReason: string | undefined;
  private lastError: string | undefined;

  private constructor(
    readonly device: GPUDevice,
    readonly adapter: AdapterSummary,
    pipelines: Record<KernelName, GPUComputePipeline>,
    /**
     * The GPU and adapter objects must outlive the device: in Node (Dawn) a collected
     * instance frees native state that the device's threads still use, and the process
     * aborts some dozens of dispatches later.
     */
    readonly keepAlive: readonly unknown[],
  ) {
    this.pipelines = pipelines;
    device.lost.then((info) => {
      this.lostReason = info.message || info.reason || 'unknown reason';
    });
    device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
      this.lastError = event.error.message;
    };
  }

  static async create(gpu: GPU | undefined, sources: ShaderSources): Promise<GpuContext> {
    if (!gpu) throw new GpuUnavailableError('WebGPU is not available here (no navigator.gpu)');
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new GpuUnavailableError('WebGPU found no GPU adapter');
    const info = adapter.info;
    const summary: AdapterSummary = {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
        (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    };
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    device.pushErrorScope('validation');
    const pipelines = {} as Record<KernelName, GPUComputePipeline>;
    for (const name of KERNELS) {
      const module = device.createShaderModule({ label: name, code: sources[name] });
      const messages = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      if (messages.length) {
        throw new Error(`WGSL kernel ${name}.wgsl does not compile: ${messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
      }
      pipelines[name] = await device.createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint: 'main' } });
    }
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU pipelines failed validation: ${error.message}`);
    return new GpuContext(device, summary, pipelines, [gpu, adapter]);
  }

  /** Throws if the device is gone or an earlier command failed validation. */
  check(): void {
    if (this.lostReason !== undefined) {
      throw new GpuUnavailableError(`the GPU device was lost (${this.lostReason}); statistics fall back to the CPU`);
    }
    if (this.lastError !== undefined) {
      const message = this.lastError;
      this.lastError = undefined;
      throw new Error(`WebGPU error: ${message}`);
    }
  }

  get isLost(): boolean {
    return this.lostReason !== undefined;
  }

  destroy(): void {
    this.device.destroy();
  }

  // ---- plumbing shared by the engine and the kernel tests ------------------------------

  /** One batched jacobi_svd dispatch over `count` jobs. */
  jacobi(encoder: GPUCommandEncoder, temporary: GPUBuffer[], data: GPUBuffer, jobs: GPUBuffer, count: number, sigma: GPUBuffer, rot: GPUBuffer): void {
    const [gx, gy] = groups2D(count);
    const cfg = new Uint32Array([count, gx, JACOBI_MAX_SWEEPS, 0]);
    new Float32Array(cfg.buffer, 12, 1)[0] = JACOBI_TOLERANCE;
    this.dispatch(encoder, 'jacobi_svd', [data, jobs, sigma, rot, this.upload(cfg, BufferUsage.UNIFORM, 'jacobi config', temporary)], gx, gy);
  }

  /** Binds `buffers` to bindings 0, 1, 2… of the kernel and dispatches it. */
  dispatch(encoder: GPUCommandEncoder, kernel: KernelName, buffers: GPUBuffer[], x: number, y = 1, z = 1): void {
    const pipeline = this.pipelines[kernel];
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const pass = encoder.beginComputePass({ label: kernel });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }

  buffer(bytes: number, usage: number, label: string, track?: GPUBuffer[]): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    track?.push(b);
    return b;
  }

  upload(data: Float32Array | Uint32Array, usage: number, label: string, track?: GPUBuffer[]): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage, mappedAtCreation: true });
    new Uint8Array(b.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    b.unmap();
    track?.push(b);
    return b;
  }

  /** A uniform buffer of u32 words. */
  uniform(track: GPUBuffer[], words: number[]): GPUBuffer {
    return this.upload(Uint32Array.from(words), BufferUsage.UNIFORM, 'config', track);
  }

  /** Copies `bytes` from the start of `source` back to the host. */
  async read(source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.device.createBuffer({ size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, size);
    this.device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(MapModeRead);
      return staging.getMappedRange().slice(0, bytes);
    } catch (error) {
      this.check();
      throw error;
    } finally {
      if (staging.mapState === 'mapped') staging.unmap();
      staging.destroy();
      this.check();
    }
  }
}

import { KERNELS, type KernelName, type ShaderSources } from './kernels';

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
}

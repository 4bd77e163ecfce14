import { GpuBufferPool } from './buffer-pool';
import { BufferUsage, KERNELS, MapModeRead, type KernelName, type ShaderSources } from './kernels';

/** Jacobi stops when every column pair has |cos| ≤ tol: its error on Σσ is O(tol²). */
export const JACOBI_TOLERANCE = 1e-5;
export const JACOBI_MAX_SWEEPS = 40;
const MAX_GROUPS_X = 65535;
/** Bind groups kept per context (least recently used dropped first). */
const BIND_GROUP_CACHE = 512;

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

function summarise(info: GPUAdapterInfo | undefined, adapter?: GPUAdapter): AdapterSummary {
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
      (adapter as unknown as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter),
  };
}

/**
 * Compiled pipelines per device, keyed by kernel name and source: engines that share a device
 * (say, one beside onnxruntime-web in the encoder worker, one per panel) compile each kernel once.
 */
const pipelineCache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

async function compilePipeline(
  device: GPUDevice, name: KernelName, code: string, constants: Record<string, number> = {},
): Promise<GPUComputePipeline> {
  let cache = pipelineCache.get(device);
  if (!cache) pipelineCache.set(device, (cache = new Map()));
  const key = `${name}\n${JSON.stringify(constants)}\n${code}`;
  let pipeline = cache.get(key);
  if (!pipeline) {
    pipeline = (async () => {
      const module = device.createShaderModule({ label: name, code });
      const messages = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      if (messages.length) {
        throw new Error(`WGSL kernel ${name}.wgsl does not compile: ${messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
      }
      return device.createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint: 'main', constants } });
    })();
    cache.set(key, pipeline);
    pipeline.catch(() => cache!.delete(key));
  }
  return pipeline;
}

let nextBufferId = 1;
const bufferIds = new WeakMap<GPUBuffer, number>();
function bufferId(buffer: GPUBuffer): number {
  let id = bufferIds.get(buffer);
  if (id === undefined) bufferIds.set(buffer, (id = nextBufferId++));
  return id;
}

/**
 * A device with the project's pipelines compiled, its loss and errors tracked, a buffer pool
 * and a bind-group cache. Owns the device when it made it (create), never when handed one
 * (fromDevice): then destroy() frees only what this context made.
 */
export class GpuContext {
  readonly pipelines: Record<KernelName, GPUComputePipeline>;
  readonly pool: GpuBufferPool;
  private lostReason: string | undefined;
  private lastError: string | undefined;
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private bindGroupHits = 0;
  private readonly onError = (event: Event) => {
    this.lastError = (event as GPUUncapturedErrorEvent).error.message;
  };
  private destroyed = false;

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
    /** Whether destroy() may destroy the device (false for a device handed in). */
    readonly ownsDevice: boolean,
  ) {
    this.pipelines = pipelines;
    this.pool = new GpuBufferPool(device);
    device.lost.then((info) => {
      this.lostReason = info.message || info.reason || 'unknown reason';
    });
    if (typeof device.addEventListener === 'function') device.addEventListener('uncapturederror', this.onError);
    else if (ownsDevice) device.onuncapturederror = this.onError;
  }

  static async create(gpu: GPU | undefined, sources: ShaderSources): Promise<GpuContext> {
    if (!gpu) throw new GpuUnavailableError('WebGPU is not available here (no navigator.gpu)');
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new GpuUnavailableError('WebGPU found no GPU adapter');
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    try {
      const summary = summarise(adapter.info, adapter);
      return new GpuContext(device, summary, await compileAll(device, sources, summary), [gpu, adapter], true);
    } catch (error) {
      device.destroy();
      throw error;
    }
  }

  /**
   * A context on a device the caller already has (e.g. onnxruntime-web's, so encoder and
   * statistics share one GPU device in the worker). The device is used as it is, with its
   * own limits, and is never destroyed here.
   */
  static async fromDevice(device: GPUDevice, sources: ShaderSources, adapter?: AdapterSummary): Promise<GpuContext> {
    const info = adapter ?? summarise((device as { adapterInfo?: GPUAdapterInfo }).adapterInfo);
    return new GpuContext(device, info, await compileAll(device, sources, info), [device], false);
  }

  /** Throws if the device is gone or an earlier command failed validation. */
  check(): void {
    if (this.lostReason !== undefined) {
      throw new GpuUnavailableError(`the GPU device was lost (${this.lostReason}); statistics fall back to the CPU`);
    }
    if (this.destroyed) throw new GpuUnavailableError('this WebGPU engine was disposed');
    if (this.lastError !== undefined) {
      const message = this.lastError;
      this.lastError = undefined;
      throw new Error(`WebGPU error: ${message}`);
    }
  }

  get isLost(): boolean {
    return this.lostReason !== undefined;
  }

  /** Frees this context's buffers; destroys the device only if this context created it. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.bindGroups.clear();
    this.pool.destroy();
    if (typeof this.device.removeEventListener === 'function') this.device.removeEventListener('uncapturederror', this.onError);
    if (this.ownsDevice) this.device.destroy();
  }

  /** Temporaries for one piece of work: acquired from the pool, all returned by release(). */
  scope(): GpuScope {
    return new GpuScope(this);
  }

  cacheStats(): { bindGroups: number; bindGroupHits: number } {
    return { bindGroups: this.bindGroups.size, bindGroupHits: this.bindGroupHits };
  }

  // ---- plumbing shared by the engine and the kernel tests ------------------------------

  /** One batched jacobi_svd dispatch over `count` jobs. */
  jacobi(encoder: GPUCommandEncoder, scope: GpuScope, data: GPUBuffer, jobs: GPUBuffer, count: number, sigma: GPUBuffer, rot: GPUBuffer): void {
    const [gx, gy] = groups2D(count);
    const cfg = new Uint32Array([count, gx, JACOBI_MAX_SWEEPS, 0]);
    new Float32Array(cfg.buffer, 12, 1)[0] = JACOBI_TOLERANCE;
    this.dispatch(encoder, 'jacobi_svd', [data, jobs, sigma, rot, scope.upload(cfg, BufferUsage.UNIFORM, 'jacobi config')], gx, gy);
  }

  /** Binds `buffers` to bindings 0, 1, 2… of the kernel (bind group cached) and dispatches it. */
  dispatch(encoder: GPUCommandEncoder, kernel: KernelName, buffers: GPUBuffer[], x: number, y = 1, z = 1): void {
    const pipeline = this.pipelines[kernel];
    const pass = encoder.beginComputePass({ label: kernel });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup(kernel, buffers));
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }

  private bindGroup(kernel: KernelName, buffers: GPUBuffer[]): GPUBindGroup {
    const key = `${kernel}:${buffers.map(bufferId).join(',')}`;
    let group = this.bindGroups.get(key);
    if (group) {
      this.bindGroupHits++;
      this.bindGroups.delete(key); // re-insert: most recently used last
    } else {
      group = this.device.createBindGroup({
        label: kernel,
        layout: this.pipelines[kernel].getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      if (this.bindGroups.size >= BIND_GROUP_CACHE) this.bindGroups.delete(this.bindGroups.keys().next().value!);
    }
    this.bindGroups.set(key, group);
    return group;
  }

  /** A buffer outside the pool (tests; the caller destroys it). */
  buffer(bytes: number, usage: number, label: string, track?: GPUBuffer[]): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    track?.push(b);
    return b;
  }

  /** A buffer outside the pool holding `data` (tests; the caller destroys it). */
  upload(data: Float32Array | Uint32Array, usage: number, label: string, track?: GPUBuffer[]): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage, mappedAtCreation: true });
    new Uint8Array(b.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    b.unmap();
    track?.push(b);
    return b;
  }

  /** Copies `bytes` from `offset` in `source` back to the host, through a pooled staging buffer. */
  async read(source: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.pool.acquire(size, BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'staging');
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, offset, staging, 0, size);
      this.device.queue.submit([encoder.finish()]);
      try {
        await staging.mapAsync(MapModeRead, 0, size);
      } catch (error) {
        this.check();
        throw error;
      }
      return staging.getMappedRange(0, size).slice(0, bytes);
    } finally {
      this.pool.release(staging);
      this.check();
    }
  }
}

/**
 * Pipeline-overridable constants per kernel for this adapter: gram_tile stages its chunks in
 * workgroup memory on GPUs, and reads storage directly on software adapters (SwiftShader).
 */
export function kernelConstants(adapter: AdapterSummary): Partial<Record<KernelName, Record<string, number>>> {
  return { gram_tile: { SHARED_TILES: adapter.isFallbackAdapter ? 0 : 1 } };
}

async function compileAll(device: GPUDevice, sources: ShaderSources, adapter: AdapterSummary): Promise<Record<KernelName, GPUComputePipeline>> {
  device.pushErrorScope('validation');
  const pipelines = {} as Record<KernelName, GPUComputePipeline>;
  const constants = kernelConstants(adapter);
  let failure: unknown;
  try {
    const compiled = await Promise.all(KERNELS.map((name) => compilePipeline(device, name, sources[name], constants[name])));
    KERNELS.forEach((name, k) => (pipelines[name] = compiled[k]));
  } catch (error) {
    failure = error;
  }
  const error = await device.popErrorScope();
  if (failure) throw failure;
  if (error) throw new Error(`WebGPU pipelines failed validation: ${error.message}`);
  return pipelines;
}

/**
 * Pooled temporaries of one piece of work. Everything acquired through a scope goes back to the
 * pool on release(), which callers put in a finally: errors and aborts return buffers too.
 */
export class GpuScope {
  private readonly held: GPUBuffer[] = [];
  constructor(private readonly ctx: GpuContext) {}

  buffer(bytes: number, usage: number, label: string): GPUBuffer {
    const b = this.ctx.pool.acquire(bytes, usage, label);
    this.held.push(b);
    return b;
  }

  /** A pooled buffer holding `data` (written through the queue; COPY_DST is added to usage). */
  upload(data: Float32Array | Uint32Array, usage: number, label: string): GPUBuffer {
    const b = this.buffer(Math.max(16, data.byteLength), usage | BufferUsage.COPY_DST, label);
    this.ctx.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, Math.ceil(data.byteLength / 4) * 4);
    return b;
  }

  /** A uniform buffer of u32 words. */
  uniform(words: number[]): GPUBuffer {
    return this.upload(Uint32Array.from(words), BufferUsage.UNIFORM, 'config');
  }

  /** Hands a buffer over to the caller: release() will not return it. */
  keep(buffer: GPUBuffer): GPUBuffer {
    const k = this.held.indexOf(buffer);
    if (k >= 0) this.held.splice(k, 1);
    return buffer;
  }

  release(): void {
    this.held.forEach((b) => this.ctx.pool.release(b));
    this.held.length = 0;
  }
}

/**
 * GPU buffers reused across calls, keyed by size bucket and usage (the pattern of onnxruntime-web's
 * GPU buffer manager): a released buffer goes back on its bucket's free list and the next request
 * of that bucket and usage takes it instead of creating one. Sizes round up to 2^k·{1, 1.25, 1.5,
 * 1.75} (at most 25% slack), at least 256 bytes. Free buffers over `maxFreeBytes` are destroyed.
 *
 * Reuse is safe right after queue.submit(): the queue runs writes and commands in order, so a
 * later writeBuffer or dispatch on a reused buffer happens after the earlier commands. Mapped
 * buffers are unmapped before they return.
 */
export interface BufferPoolStats {
  /** Buffers created by the device for this pool, ever. */
  created: number;
  /** Requests served from a free list. */
  reused: number;
  /** Buffers handed out and not yet returned. */
  live: number;
  /** Buffers on the free lists, and their bytes. */
  free: number;
  freeBytes: number;
}

export function bucketSize(bytes: number): number {
  const size = Math.max(256, Math.ceil(bytes));
  const k = Math.floor(Math.log2(size));
  const base = 2 ** k;
  for (const step of [1, 1.25, 1.5, 1.75, 2]) {
    if (size <= base * step) return base * step;
  }
  return base * 2;
}

export class GpuBufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly owned = new Set<GPUBuffer>();
  private readonly keys = new WeakMap<GPUBuffer, string>();
  private freeBytes = 0;
  private counts = { created: 0, reused: 0 };

  constructor(private readonly device: GPUDevice, readonly maxFreeBytes = 512 * 2 ** 20) {}

  /** A buffer of at least `bytes` with exactly `usage`; give it back with release(). */
  acquire(bytes: number, usage: number, label?: string): GPUBuffer {
    const size = bucketSize(bytes);
    const key = `${size}:${usage}`;
    const list = this.free.get(key);
    const reused = list?.pop();
    if (reused) {
      this.freeBytes -= size;
      this.counts.reused++;
      this.owned.add(reused);
      return reused;
    }
    const buffer = this.device.createBuffer({ label, size, usage });
    this.counts.created++;
    this.keys.set(buffer, key);
    this.owned.add(buffer);
    return buffer;
  }

  /** Returns a buffer from acquire() for reuse (unmapping it first if needed). */
  release(buffer: GPUBuffer): void {
    if (!this.owned.delete(buffer)) return; // not ours, or already returned
    const key = this.keys.get(buffer)!;
    if (buffer.mapState !== 'unmapped') buffer.unmap();
    const size = buffer.size;
    if (this.freeBytes + size > this.maxFreeBytes) {
      buffer.destroy();
      return;
    }
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buffer);
    this.freeBytes += size;
  }

  stats(): BufferPoolStats {
    let free = 0;
    for (const list of this.free.values()) free += list.length;
    return { ...this.counts, live: this.owned.size, free, freeBytes: this.freeBytes };
  }

  /** Destroys every buffer of this pool, free or still handed out. */
  destroy(): void {
    for (const list of this.free.values()) list.forEach((b) => b.destroy());
    this.owned.forEach((b) => b.destroy());
    this.free.clear();
    this.owned.clear();
    this.freeBytes = 0;
  }
}

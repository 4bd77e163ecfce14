/**
 * A checkpoint's weights by canonical name. Hub checkpoints name the same weight several ways:
 * with the task model's prefix (`bert.`, `mpnet.`) or without it, and old BERTs call LayerNorm's
 * parameters `gamma`/`beta`. Heads (`cls.*`, `lm_head.*`, `pooler.*`) and buffers are never asked
 * for, so they are never decoded. Each weight is decoded to float32 when first asked for, with its
 * shape checked against what config.json implies.
 */
import { decodeTensor, type SafetensorsFile, type TensorEntry } from './safetensors';
import { EncoderLoadError } from './types';

export function canonicalName(key: string, prefixes: readonly string[]): string {
  let name = key;
  for (const p of prefixes) {
    if (name.startsWith(p)) {
      name = name.slice(p.length);
      break;
    }
  }
  return name.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
}

export class Weights {
  private readonly entries = new Map<string, { source: SafetensorsFile; entry: TensorEntry }>();
  /** Canonical names handed out so far (a test can check that heads were never read). */
  readonly used = new Set<string>();

  constructor(readonly model: string, sources: SafetensorsFile[], prefixes: readonly string[]) {
    for (const source of sources) {
      for (const entry of source.entries.values()) {
        const name = canonicalName(entry.name, prefixes);
        if (!this.entries.has(name)) this.entries.set(name, { source, entry });
      }
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The weight as float32, shape-checked. */
  get(name: string, shape: number[]): Float32Array {
    const found = this.entries.get(name);
    if (!found) {
      throw new EncoderLoadError(`${this.model}: weight ${name} is missing from the checkpoint (it has ${this.entries.size} tensors; is config.json's model_type right for these weights?)`);
    }
    const { source, entry } = found;
    if (entry.shape.length !== shape.length || entry.shape.some((d, k) => d !== shape[k])) {
      throw new EncoderLoadError(`${this.model}: weight ${entry.name} in ${source.file} has shape [${entry.shape.join(', ')}], but config.json implies [${shape.join(', ')}]`);
    }
    this.used.add(name);
    return decodeTensor(source, entry);
  }

  /** The shape stored for a weight, or undefined (for sizes config.json does not state, e.g. a padded vocabulary). */
  shape(name: string): number[] | undefined {
    return this.entries.get(name)?.entry.shape;
  }
}

/**
 * What a playground panel computes for two texts, DOM-free so it runs where the encoder runs (the
 * encoder worker): encodings (cached per text, every layer when the model has them), the pair's
 * statistics, PCA view and pooled vectors at the chosen layer, and SOCM, d1, d2, tr Σ and the
 * within-text cosine at every layer (the paper's §6). The main thread only draws the result.
 */
import { pairLayers, type LayerStats } from '../engine/layers';
import type { SocmEngine } from '../engine/types';
import { layerClouds, type EncodedText, type EncodeOptions, type EncoderInfo } from '../encoders/types';
import { EncodingCache } from './encoding-cache';
import { analysePair, type PanelResult } from './pair';
import type { WordRanks } from './word-frequency';

export interface PanelOptions {
  /** The layer to show (0…L, negative from the end); default the last. Ignored for models without layers. */
  layer?: number;
  excludeSpecial: boolean;
  /** Encode both texts anew, ignoring the cache (the latency benchmark's "before"). */
  fresh?: boolean;
}

export type PanelAnalysis =
  | {
    kind: 'result';
    result: PanelResult;
    /** The layer shown, and the model's statistics at every layer (models loaded from their weights). */
    layer?: number;
    layers?: LayerStats[];
    /** What computed the statistics, in words. */
    engine: string;
  }
  | { kind: 'empty'; message: string };

/** Attention probabilities of one layer over one text's tokens: heads × n × n, row = query. */
export interface AttentionMap {
  tokens: string[];
  special: Uint8Array;
  layer: number;
  heads: number;
  n: number;
  data: Float32Array;
}

export type EncodeFn = (texts: string[], options?: EncodeOptions) => Promise<EncodedText[]>;

/** One text's encoding at one layer, as if the encoder had returned only that layer. */
export function atLayer(e: EncodedText, layer: number): EncodedText {
  if (!e.layers) return e;
  return { ...e, vectors: e.layers[layer], layer, layers: undefined };
}

/** Texts whose every-layer attention a panel keeps: the two it shows. */
const ATTENTION_TEXTS = 2;

export class PanelAnalyser {
  private readonly cache = new EncodingCache();
  private layerStats?: { key: string; value: LayerStats[] };
  /** Attention maps kept per text (the most recent ATTENTION_TEXTS). */
  private attentionCache = new Map<string, EncodedText>();

  constructor(
    private engine: SocmEngine,
    private readonly encode: EncodeFn,
    readonly info: EncoderInfo,
    private readonly ranks?: () => Promise<WordRanks>,
  ) {}

  /** After a lost GPU device: measure on another engine from now on. */
  useEngine(engine: SocmEngine): void {
    this.engine = engine;
    this.layerStats = undefined;
  }

  get engineDescription(): string {
    return this.engine.description;
  }

  /** The layer index 0…L for a requested layer (default the last). */
  layerIndex(layer?: number): number | undefined {
    const L = this.info.layers;
    if (L === undefined) return undefined;
    const k = layer === undefined ? L : layer < 0 ? L + 1 + layer : layer;
    return Math.max(0, Math.min(L, k));
  }

  /** Encodes what the cache lacks; returns the encodings and how many texts went to the encoder. */
  async encodings(texts: string[], fresh = false): Promise<{ encoded: EncodedText[]; fresh: number; encodeMs: number }> {
    const t = performance.now();
    const missing = fresh ? texts : [...new Set(texts)].filter((text) => !this.cache.get(text));
    const options: EncodeOptions | undefined = this.info.layers !== undefined ? { layer: 'all' } : undefined;
    const encoded = missing.length ? await this.encode(missing, options) : [];
    missing.forEach((text, i) => this.cache.set(text, encoded[i]));
    const byText = new Map(missing.map((text, i) => [text, encoded[i]]));
    return { encoded: texts.map((text, k) => (fresh ? encoded[k] : byText.get(text) ?? this.cache.get(text)!)), fresh: missing.length, encodeMs: performance.now() - t };
  }

  /**
   * The panel's numbers for texts A and B. `superseded` is asked between steps: a run whose texts
   * changed meanwhile stops early (its result would be dropped anyway).
   */
  async analyse(a: string, b: string, options: PanelOptions, superseded: () => boolean = () => false): Promise<PanelAnalysis | undefined> {
    const { encoded: [ea, eb], fresh, encodeMs } = await this.encodings([a, b], options.fresh);
    if (superseded()) return undefined;
    for (const [label, e] of [['A', ea], ['B', eb]] as const) {
      const kept = options.excludeSpecial ? Array.from(e.special).filter((s) => s === 0).length : e.n;
      if (kept === 0) {
        const why = this.info.kind === 'static' ? 'none of its words has a GloVe vector' : 'only special tokens are left';
        return { kind: 'empty', message: `Text ${label} has no tokens to measure: ${why}.` };
      }
    }
    const layer = this.layerIndex(options.layer);
    const ranks = this.ranks ? await this.ranks().catch((error: Error) => error) : undefined;
    const result = await analysePair(
      this.engine, layer === undefined ? ea : atLayer(ea, layer), layer === undefined ? eb : atLayer(eb, layer),
      this.info, options.excludeSpecial, encodeMs, ranks instanceof Error ? undefined : ranks,
    );
    if (ranks instanceof Error) result.sifProblem = ranks.message;
    result.timings = { ...result.timings, encodedTexts: fresh };
    if (layer === undefined) return { kind: 'result', result, engine: this.engine.description };
    if (superseded()) return undefined;
    const t = performance.now();
    const layers = await this.everyLayer(a, b, ea, eb, options.excludeSpecial);
    result.timings.layersMs = performance.now() - t;
    return { kind: 'result', result, layer, layers, engine: this.engine.description };
  }

  /** SOCM and concentration at every layer, kept while the texts stay the same (moving the layer slider reuses them). */
  private async everyLayer(a: string, b: string, ea: EncodedText, eb: EncodedText, excludeSpecial: boolean): Promise<LayerStats[]> {
    const key = JSON.stringify([a, b, excludeSpecial, this.engine.description]);
    if (this.layerStats?.key !== key) {
      this.layerStats = { key, value: await pairLayers(this.engine, layerClouds(ea, excludeSpecial), layerClouds(eb, excludeSpecial)) };
    }
    return this.layerStats.value;
  }

  /** The attention of layer 1…L over a text's tokens (models loaded from their weights). */
  async attention(text: string, layer: number): Promise<AttentionMap> {
    const L = this.info.layers;
    if (L === undefined || !this.info.heads) throw new Error(`${this.info.id} gives no attention probabilities (only models loaded from their own weights do)`);
    const k = Math.max(1, Math.min(L, layer < 0 ? L + 1 + layer : layer));
    let e = this.attentionCache.get(text);
    if (!e) {
      [e] = await this.encode([text], { layer: -1, attentions: true });
      this.attentionCache.set(text, e);
      // Texts A and B: every layer's attention of a 512-token text on bert-base is about 150 MB.
      for (const old of this.attentionCache.keys()) if (this.attentionCache.size > ATTENTION_TEXTS) this.attentionCache.delete(old);
    }
    return { tokens: e.tokens, special: e.special, layer: k, heads: this.info.heads, n: e.n, data: e.attentions![k - 1] };
  }
}

import { AutoModel, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { EncodedText, EncodeOptions, Encoder, EncoderDevice, EncoderDtype, EncoderInfo, LoadProgress } from './types';
import { EncoderLoadError, onlyLastLayer, onnxFile } from './types';
import { explainLoadError } from './load-errors';

export { env as transformersEnv };

export interface TransformerOptions {
  device: EncoderDevice;
  dtype?: EncoderDtype;
  fallbackReason?: string;
  onProgress?: (p: LoadProgress) => void;
  /** Where a local models directory was looked in, for error messages. */
  localHint?: string;
}

interface RawProgress { status?: string; file?: string; loaded?: number; total?: number }

/**
 * A Hugging Face encoder through transformers.js: tokenizer + AutoModel, giving the last hidden
 * state (one row per token under the attention mask). Runs unchanged in Node and in a Worker;
 * the caller configures `transformersEnv` (local paths, wasm files) first.
 */
export async function loadTransformerEncoder(id: string, options: TransformerOptions): Promise<Encoder> {
  const dtype = options.dtype ?? 'fp32';
  const files = new Map<string, boolean>();
  const progress_callback = (p: RawProgress) => {
    if (!p.file || !options.onProgress) return;
    if (p.status === 'initiate' || p.status === 'download' || p.status === 'progress') files.set(p.file, files.get(p.file) ?? false);
    if (p.status === 'done') files.set(p.file, true);
    const done = [...files.values()].filter(Boolean).length;
    options.onProgress({
      file: p.file, loaded: p.loaded ?? 0, total: p.total ?? 0, filesDone: done, filesSeen: files.size,
      status: p.status === 'done' ? 'done' : 'download',
    });
  };
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(id, { progress_callback });
  } catch (error) {
    throw explainLoadError(id, 'tokenizer.json / tokenizer_config.json', error, { localHint: options.localHint, dtype });
  }
  try {
    model = await AutoModel.from_pretrained(id, { device: options.device, dtype, progress_callback });
  } catch (error) {
    throw explainLoadError(id, onnxFile(dtype), error, { localHint: options.localHint, dtype });
  }
  const outputs: string[] = (model as unknown as { sessions?: Record<string, { outputNames?: string[] }> }).sessions?.model?.outputNames ?? [];
  if (outputs.length && !outputs.includes('last_hidden_state')) {
    await model.dispose();
    throw new EncoderLoadError(`${id}: the ONNX model has no output named last_hidden_state, so it cannot give token vectors (outputs: ${outputs.join(', ')}); export it with that output`);
  }
  const config = model.config as unknown as Record<string, unknown>;
  const width = Number(config.hidden_size ?? config.d_model ?? config.dim ?? 0);
  const maxTokens = Math.min(
    tokenizerMaxLength(tokenizer),
    Number(config.max_position_embeddings ?? Infinity) - (config.model_type === 'roberta' || config.model_type === 'mpnet' ? 2 : 0),
    8192,
  );
  const { tokenOf, isSpecial } = tokenLookup(tokenizer);
  options.onProgress?.({ file: '', loaded: 0, total: 0, filesDone: files.size, filesSeen: files.size, status: 'ready' });
  const decoder = Boolean(config.is_decoder) || /gpt|llama|mistral|qwen|gemma|phi|opt|bloom|falcon/i.test(String(config.model_type ?? ''));
  const info: EncoderInfo = { id, kind: 'transformer', device: options.device, dtype, width, maxTokens, fallbackReason: options.fallbackReason, decoder, route: 'onnx' };

  return {
    info,
    async encode(texts: string[], options?: EncodeOptions): Promise<EncodedText[]> {
      onlyLastLayer(info, options);
      const out: EncodedText[] = [];
      // One text per forward pass: no padding rows to strip, and memory stays bounded.
      for (const text of texts) {
        const { inputs, fullLength } = truncatedInputs(tokenizer, text, maxTokens);
        let result: Record<string, { dims: number[]; data: Float32Array; dispose?: () => void }>;
        try {
          result = await model(inputs);
        } catch (error) {
          throw new Error(`${id} failed to encode a text (${(error as Error).message})`);
        }
        const hidden = result.last_hidden_state;
        if (!hidden) throw new EncoderLoadError(`${id}: the ONNX model has no output named last_hidden_state, so it cannot give token vectors (outputs: ${Object.keys(result).join(', ')})`);
        const ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
        if (ids.length !== hidden.dims[1]) throw new Error(`${id}: ${hidden.dims[1]} output rows for ${ids.length} tokens`);
        const [, n, d] = hidden.dims;
        out.push({
          text, ids, tokens: ids.map(tokenOf),
          special: Uint8Array.from(ids, isSpecial),
          offsets: null, vectors: Float32Array.from(hidden.data), n, d,
          truncated: fullLength > ids.length, fullLength,
        });
        hidden.dispose?.();
      }
      return out;
    },
    async dispose() {
      await model.dispose();
    },
  };
}

type Inputs = Record<string, Tensor>;

/** The tokenizer's model_max_length where it is a real limit (configs use 1e30 for "none"). */
export function tokenizerMaxLength(tokenizer: PreTrainedTokenizer): number {
  const n = Number(tokenizer.model_max_length);
  return n > 0 && n < 1e6 ? n : Infinity;
}

/** Token strings by id, and which ids are special ([CLS], [SEP], <s>, …). */
export function tokenLookup(tokenizer: PreTrainedTokenizer): { tokenOf: (id: number) => string; isSpecial: (id: number) => 0 | 1 } {
  const vocab = new Map<number, string>();
  for (const [token, index] of tokenizer.get_vocab()) vocab.set(index, token);
  const specialIds = new Set(tokenizer.all_special_ids);
  return { tokenOf: (id) => vocab.get(id) ?? `[${id}]`, isSpecial: (id) => (specialIds.has(id) ? 1 : 0) };
}

/**
 * Tokenizer inputs for one text, cut to `maxTokens` if longer. transformers.js's own
 * truncation drops the closing special token ([SEP], </s>); here the body is cut and the
 * template's leading and trailing special tokens are kept, as Python's tokenizers do.
 */
export function truncatedInputs(tokenizer: PreTrainedTokenizer, text: string, maxTokens: number): { inputs: Inputs; fullLength: number } {
  const inputs = tokenizer(text) as unknown as Inputs;
  const full = Array.from(inputs.input_ids.data as BigInt64Array);
  if (full.length <= maxTokens) return { inputs, fullLength: full.length };
  const body = tokenizer.encode(text, { add_special_tokens: false });
  const specials = full.length - body.length;
  const special = new Set(tokenizer.all_special_ids.map(BigInt));
  let prefix = 0;
  while (prefix < specials && special.has(full[prefix])) prefix++;
  const keep = Math.max(0, maxTokens - specials);
  const cut = [...full.slice(0, prefix), ...full.slice(prefix, prefix + keep), ...full.slice(full.length - (specials - prefix))];
  const tensor = (values: bigint[]) => new Tensor('int64', BigInt64Array.from(values), [1, values.length]);
  const out: Inputs = { input_ids: tensor(cut), attention_mask: tensor(cut.map(() => 1n)) };
  if (inputs.token_type_ids) out.token_type_ids = tensor(cut.map(() => 0n));
  return { inputs: out, fullLength: full.length };
}

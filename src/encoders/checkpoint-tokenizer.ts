/**
 * A checkpoint's tokenizer through transformers.js: from tokenizer.json when the repo has one; else
 * built from vocab.txt + tokenizer_config.json as transformers' slow→fast converters do
 * (BertConverter, MPNetConverter): BertNormalizer, BertPreTokenizer, WordPiece, and the model's
 * [CLS]/[SEP] (or <s>/</s>) template. microsoft/MiniLM-L12-H384-uncased and microsoft/mpnet-base
 * ship only vocab.txt.
 */
import * as Transformers from '@huggingface/transformers';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ModelFiles } from './model-files';
import { EncoderLoadError } from './types';

type Json = Record<string, unknown>;

/** Special tokens each slow tokenizer class defaults to when tokenizer_config.json does not say. */
const SPECIAL_DEFAULTS: Record<string, Json> = {
  BertTokenizer: { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]', do_lower_case: true },
  MPNetTokenizer: {
    bos_token: '<s>', eos_token: '</s>', sep_token: '</s>', cls_token: '<s>', unk_token: '[UNK]', pad_token: '<pad>', mask_token: '<mask>', do_lower_case: true,
  },
};
const SPECIAL_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

async function readJson(files: ModelFiles, path: string): Promise<Json | undefined> {
  if (!(await files.exists(path))) return undefined;
  const text = await files.text(path);
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Json;
  } catch (error) {
    throw new EncoderLoadError(`${files.label}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Json).content === 'string') return (value as Json).content as string;
  return undefined;
}

/** The tokenizer.json transformers' converters would write for a WordPiece vocab.txt. */
export function wordPieceTokenizerJson(vocabText: string, config: Json, tokenizerClass: string, label: string): Json {
  const vocab: Record<string, number> = {};
  vocabText.replace(/\r?\n$/, '').split(/\r?\n/).forEach((token, i) => {
    if (!(token in vocab)) vocab[token] = i;
  });
  const special = (key: string) => {
    const token = tokenText(config[key]);
    if (token === undefined) return undefined;
    if (!(token in vocab)) throw new EncoderLoadError(`${label}: vocab.txt has no ${token} (the ${key} of tokenizer_config.json)`);
    return token;
  };
  const cls = special('cls_token');
  const sep = special('sep_token');
  const unk = special('unk_token');
  if (!cls || !sep || !unk) throw new EncoderLoadError(`${label}: tokenizer_config.json names no cls_token, sep_token or unk_token`);
  const mpnet = tokenizerClass === 'MPNetTokenizer';
  const added = new Map<string, Json>();
  for (const key of SPECIAL_KEYS) {
    const token = special(key);
    if (token === undefined || added.has(token)) continue;
    const lstrip = key === 'mask_token' && mpnet;
    added.set(token, { id: vocab[token], content: token, single_word: false, lstrip, rstrip: false, normalized: false, special: true });
  }
  const piece = (id: string, type_id: number) => ({ SpecialToken: { id, type_id } });
  const seq = (id: string, type_id: number) => ({ Sequence: { id, type_id } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...added.values()].sort((a, b) => (a.id as number) - (b.id as number)),
    normalizer: {
      type: 'BertNormalizer', clean_text: true, handle_chinese_chars: config.tokenize_chinese_chars !== false,
      strip_accents: typeof config.strip_accents === 'boolean' ? config.strip_accents : null, lowercase: config.do_lower_case !== false,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [piece(cls, 0), seq('A', 0), piece(sep, 0)],
      pair: mpnet
        ? [piece(cls, 0), seq('A', 0), piece(sep, 0), piece(sep, 0), seq('B', 1), piece(sep, 1)]
        : [piece(cls, 0), seq('A', 0), piece(sep, 0), seq('B', 1), piece(sep, 1)],
      special_tokens: Object.fromEntries([...new Set([cls, sep])].map((t) => [t, { id: t, ids: [vocab[t]], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: unk, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** The checkpoint's tokenizer; `defaultClass` comes from the architecture (BertTokenizer, MPNetTokenizer). */
export async function checkpointTokenizer(files: ModelFiles, defaultClass: string): Promise<PreTrainedTokenizer> {
  const given = await readJson(files, 'tokenizer_config.json');
  const specialMap = await readJson(files, 'special_tokens_map.json');
  const tokenizerClass = String(given?.tokenizer_class ?? defaultClass).replace(/Fast$/, '');
  const config: Json = { ...(SPECIAL_DEFAULTS[tokenizerClass] ?? SPECIAL_DEFAULTS.BertTokenizer), ...specialMap, ...given, tokenizer_class: tokenizerClass };
  for (const key of SPECIAL_KEYS) if (config[key] !== undefined) config[key] = tokenText(config[key]);
  let json = await readJson(files, 'tokenizer.json');
  if (!json) {
    if (!(await files.exists('vocab.txt'))) {
      throw new EncoderLoadError(`${files.label} has no tokenizer in ${files.where}: it needs tokenizer.json, or vocab.txt (with tokenizer_config.json)`);
    }
    json = wordPieceTokenizerJson(await files.text('vocab.txt'), config, tokenizerClass, files.label);
  }
  const classes = Transformers as unknown as Record<string, new (json: Json, config: Json) => PreTrainedTokenizer>;
  const Class = classes[tokenizerClass] ?? classes.PreTrainedTokenizer;
  try {
    return new Class(json, config);
  } catch (error) {
    throw new EncoderLoadError(`${files.label}: its tokenizer could not be built (${(error as Error).message})`);
  }
}

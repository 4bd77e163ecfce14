/**
 * Model specs as the app writes them, `model[:build][~layer]` (`bert-base-uncased:q8~3`): DOM-free,
 * shared by the app, the corpus summaries and the scores a correlation matches.
 */

import type { EncoderDtype } from './types';

const DTYPES = ['fp32', 'q8', 'fp16'] as const;

/** A panel's model as its spec says: the model, its build, and the layer shown. */
export interface PanelSpec {
  model: string;
  dtype: EncoderDtype;
  /** 'onnx': the model's ONNX export even where it has its own weights (always so for q8/fp16). */
  route: 'auto' | 'onnx';
  /** The layer shown (0 = embeddings … L = last; negative from the end); absent: the last. */
  layer?: number;
}

/**
 * A panel's spec: `model[:build][~layer]`. build: fp32 (the default: the model's own weights where it
 * has them, else its ONNX export), onnx (the fp32 ONNX export), q8, fp16 (ONNX builds). layer: the
 * hidden state shown (`bert-base-uncased~3`). Without a build, the fallback dtype.
 */
export function splitModelSpec(spec: string, fallback: EncoderDtype = 'fp32'): PanelSpec {
  const { model, build, layer } = parseSpecSuffix(spec);
  const dtype = build === undefined ? fallback : build === 'onnx' ? 'fp32' : build;
  return { model, dtype, route: build === 'onnx' || dtype !== 'fp32' ? 'onnx' : 'auto', ...(layer === undefined ? {} : { layer }) };
}

/** A spec's parts as written: the model, and the build and layer only where the spec names them. */
export function parseSpecSuffix(spec: string): { model: string; build?: EncoderDtype | 'onnx'; layer?: number } {
  const match = /^(.*?)(?::(fp32|q8|fp16|onnx))?(?:~(-?\d+))?$/.exec(spec)!;
  return { model: match[1], ...(match[2] ? { build: match[2] as EncoderDtype | 'onnx' } : {}), ...(match[3] === undefined ? {} : { layer: Number(match[3]) }) };
}

/**
 * Why a model id will not do, where it looks like a spec gone wrong (`X:q4`, `X~`, `X~1:onnx`):
 * the builds and the layer form named; else undefined.
 */
export function specProblem(model: string): string | undefined {
  if (!/[:~]/.test(model)) return undefined;
  return `"${model}" is not a model spec: after the model may come a build (:fp32, :onnx, :q8 or :fp16) and then a layer (~K, a whole number: ~0 the embeddings, ~-1 the last), as in org/name:onnx or org/name~3`;
}

/** The spec for a model, build and layer: the build is left out where it equals the fallback, the layer where it is the last. */
export function modelSpec(model: string, build: EncoderDtype | 'onnx', fallback: EncoderDtype = 'fp32', layer?: number): string {
  const suffix = build === fallback || !(DTYPES.includes(build as EncoderDtype) || build === 'onnx') ? '' : `:${build}`;
  return `${model}${suffix}${layer === undefined ? '' : `~${layer}`}`;
}

/** The same spec showing another layer (undefined: the last). */
export function withLayer(spec: string, layer: number | undefined): string {
  return `${spec.replace(/~-?\d+$/, '')}${layer === undefined ? '' : `~${layer}`}`;
}

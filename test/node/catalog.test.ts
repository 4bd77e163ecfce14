import { describe, expect, it } from 'vitest';
import { CATALOG, catalogModels, resolveModelId } from '../../src/encoders/catalog';

describe('model catalog', () => {
  it('lists the paper backbone → fine-tuned pairs', () => {
    const pairs = CATALOG.map((f) => [f.backbone.id, f.children.map((c) => c.id)]);
    expect(pairs).toEqual([
      ['bert-base-uncased', ['princeton-nlp/unsup-simcse-bert-base-uncased', 'intfloat/e5-base-v2', 'thenlper/gte-base']],
      ['microsoft/MiniLM-L12-H384-uncased', ['sentence-transformers/all-MiniLM-L12-v2', 'intfloat/e5-small-v2', 'thenlper/gte-small']],
      ['microsoft/mpnet-base', ['sentence-transformers/all-mpnet-base-v2']],
      ['nomic-ai/nomic-bert-2048', ['nomic-ai/nomic-embed-text-v1.5']],
    ]);
  });

  it('every entry has width, layers, parameters and a licence; children share their backbone width', () => {
    for (const m of catalogModels()) {
      expect(m.width).toBeGreaterThan(0);
      expect(m.layers).toBeGreaterThan(0);
      expect(m.params).toBeGreaterThan(0);
      expect(m.licence).toMatch(/\w/);
      expect(m.onnx.status === 'none').toBe(m.onnx.id === null);
      if (m.onnx.status !== 'known') expect(m.onnx.note).toBeTruthy();
    }
    for (const f of CATALOG) for (const c of f.children) expect(c.width).toBe(f.backbone.width);
  });

  it('maps a catalog name to its ONNX build and explains when there is none', () => {
    expect(resolveModelId('thenlper/gte-small').load).toBe('Xenova/gte-small');
    expect(resolveModelId('Xenova/gte-small').entry?.id).toBe('thenlper/gte-small');
    expect(resolveModelId('someone/custom').load).toBe('someone/custom');
    expect(resolveModelId('microsoft/MiniLM-L12-H384-uncased').problem).toMatch(/no ONNX build known/);
  });
});

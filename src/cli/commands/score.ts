import { tokenCloud } from '../../encoders/types';
import { needModel, oneLayer, withEncoder, withEngine, writeRecord } from '../common';
import { CliError } from '../io';
import type { CommandModule } from '../registry';

const score: CommandModule = {
  options: ['model', 'layer', 'route', 'backend', 'dtype', 'exclude-special'],
  formats: ['json', 'csv'],
  details: 'flags may hold trace-over-2 (tr Σ > 2 for a text) and truncated-A / truncated-B (a text longer\nthan the model takes was cut).',
  async run({ positionals, values }, io) {
    const model = needModel(values, 'score');
    if (positionals.length !== 2) throw new CliError(`score needs exactly two texts, got ${positionals.length}`, 2);
    const [textA, textB] = positionals;
    for (const [label, t] of [['A', textA], ['B', textB]]) {
      if (t.trim() === '') throw new CliError(`text ${label} is empty: give some text to score`);
    }
    const excludeSpecial = Boolean(values['exclude-special']);
    const layer = oneLayer(values, 'score');
    const [a, b, clouds, kind] = await withEncoder(model, values, async (encoder) => {
      const [ea, eb] = await encoder.encode([textA, textB], layer === undefined ? undefined : { layer });
      return [ea, eb, [tokenCloud(ea, excludeSpecial), tokenCloud(eb, excludeSpecial)], encoder.info.kind] as const;
    });
    clouds.forEach((c, k) => {
      if (c.n === 0) throw new CliError(`text ${'AB'[k]} has no tokens ${kind === 'static' ? 'with a word vector' : 'left without special tokens'}: nothing to measure`);
    });
    await withEngine(values, async (engine) => {
      const st = await engine.pair(clouds[0], clouds[1]);
      const flags: string[] = [...st.flags];
      if (a.truncated) flags.push('truncated-A');
      if (b.truncated) flags.push('truncated-B');
      await writeRecord(io, values.format, { model, ...(a.layer !== undefined ? { layer: a.layer } : {}), ...st, flags, excludeSpecial, backend: engine.description });
    });
    return 0;
  },
};

export default score;

import { tokenMatrixFromRows } from '../../math/tokens';
import { field, onePositional, withEngine, writeRecord } from '../common';
import { readJson } from '../io';
import type { CommandModule } from '../registry';

const SHAPE = '{"a": [[...]], "b": [[...]]}';

const stats: CommandModule = {
  options: ['backend'],
  formats: ['json', 'csv'],
  details: 'Token lists are JSON, rows = tokens. flags holds trace-over-2 when tr Σ > 2 for a text: the\npaper\'s assumption fails and d2 may exceed 1; values are reported, never clipped.',
  async run({ positionals, values }, io) {
    const file = onePositional(positionals, 'stats needs a FILE.json');
    const json = readJson(file);
    const a = tokenMatrixFromRows(field(json, 'a', file, SHAPE), 'text A');
    const b = tokenMatrixFromRows(field(json, 'b', file, SHAPE), 'text B');
    await withEngine(values, async (engine) => {
      await writeRecord(io, values.format, { ...(await engine.pair(a, b)), backend: engine.description });
    });
    return 0;
  },
};

export default stats;

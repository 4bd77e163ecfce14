/**
 * The commands: name, arguments and one line each, for the top-level help. Each command's code
 * lives in commands/NAME.ts and is loaded only when that command runs, so `poolscope stats` never
 * loads transformers.js. Adding a command: one entry here and one file in commands/.
 */
import type { Io } from './io';
import type { CommandSpec, ParsedArgs } from './options';

/** What commands/NAME.ts exports as default. */
export interface CommandModule extends Omit<CommandSpec, 'name'> {
  /** Paragraphs for `poolscope NAME --help`, after the options. */
  details?: string;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export interface CommandEntry {
  name: string;
  /** The positional arguments, as they read in help. */
  args: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'stats', args: 'FILE.json', summary: 'SOCM, d1, d2 of one pair of token lists: FILE holds {"a": [[...]], "b": [[...]]}', load: () => import('./commands/stats').then((m) => m.default) },
  { name: 'pairwise', args: 'FILE.json', summary: 'every pair of several token lists: FILE holds {"texts": [X1, X2, ...]}', load: () => import('./commands/pairwise').then((m) => m.default) },
  { name: 'embed', args: '--model ID [--file FILE.txt] ["text" ...]', summary: 'token vectors of texts under an encoder, one JSON line per text', load: () => import('./commands/embed').then((m) => m.default) },
  { name: 'score', args: '--model ID "text A" "text B"', summary: 'SOCM of two texts under one encoder', load: () => import('./commands/score').then((m) => m.default) },
  { name: 'layers', args: '--model ID "text A" "text B"', summary: 'SOCM, d1, d2, tr Σ and within-text cosine of two texts at every layer (the paper\'s §6)', load: () => import('./commands/layers').then((m) => m.default) },
  { name: 'corpus', args: '--model ID (FILE.txt | --pairs PAIRS.tsv)', summary: 'the paper\'s Table 1 numbers for one encoder: all pairs of FILE\'s lines, a pair list, or a sample', load: () => import('./commands/corpus').then((m) => m.default) },
  { name: 'table1', args: '--models ID,ID,... (FILE.txt | --pairs PAIRS.tsv)', summary: 'Table 1 for several encoders in one run, with 95% intervals and backbone → fine-tuned pairs', load: () => import('./commands/table1').then((m) => m.default) },
  { name: 'correlate', args: 'TABLE1.json SCORES.csv', summary: 'Spearman\'s ρ between mean SOCM and a downstream score per model (the paper\'s Figure 5)', load: () => import('./commands/correlate').then((m) => m.default) },
];

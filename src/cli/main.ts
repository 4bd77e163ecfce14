/** `poolscope`: dispatch to a command, --help and --version, and one-line errors. */
import { readFileSync } from 'node:fs';
import { SocmAbortError, SocmInputError } from '../math/errors';
import { CliError, type Io } from './io';
import { optionsHelp, parseCommandArgs } from './options';
import { COMMANDS, type CommandEntry, type CommandModule } from './registry';
import { didYouMean } from './suggest';

function usage(): string {
  return [
    'usage: poolscope <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name} ${c.args}\n      ${c.summary}`),
    '',
    'poolscope <command> --help   options and details of a command',
    'poolscope --version          the version',
    '',
    'Data goes to stdout, progress and notes to stderr. Exit status: 0 done, 1 bad input or a',
    'failed run (one line on stderr says why), 2 a usage error. POOLSCOPE_DEBUG=1 adds stack traces.',
  ].join('\n');
}

function commandHelp(entry: CommandEntry, module: CommandModule): string {
  const spec = { name: entry.name, ...module };
  return [
    `usage: poolscope ${entry.name} ${entry.args} [options]`,
    '',
    entry.summary,
    '',
    'options:',
    optionsHelp(spec),
    ...(module.details ? ['', module.details] : []),
    '',
    'Put -- before a text that starts with a dash.',
  ].join('\n');
}

export function version(): string {
  // Two levels up from src/cli (sources) and from dist/cli (the compiled CLI) is the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs one command line; resolves to the exit status. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let command = '';
  try {
    const [first, ...rest] = argv;
    if (first === '--version' || first === '-V') {
      await io.out.write(`${version()}\n`);
      return 0;
    }
    if (first === undefined) {
      io.err(usage());
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const entry = COMMANDS.find((c) => c.name === rest[0]);
      await io.out.write(`${entry ? commandHelp(entry, await entry.load()) : usage()}\n`);
      return 0;
    }
    const entry = COMMANDS.find((c) => c.name === first);
    if (!entry) {
      if (first.startsWith('-')) throw new CliError(`the command comes first: poolscope <command> [options] (got ${first})`, 2);
      throw new CliError(`unknown command ${first}${didYouMean(first, COMMANDS.map((c) => c.name))}`, 2);
    }
    command = entry.name;
    const module = await entry.load();
    const args = parseCommandArgs(rest, { name: entry.name, ...module });
    if (args.values.help) {
      await io.out.write(`${commandHelp(entry, module)}\n`);
      return 0;
    }
    return await module.run(args, io);
  } catch (error) {
    if (process.env.POOLSCOPE_DEBUG) io.err(String((error as Error).stack));
    const name = (error as Error).name;
    const known = error instanceof CliError || error instanceof SocmInputError || error instanceof SocmAbortError ||
      name === 'EncoderLoadError' || name === 'GpuUnavailableError';
    io.err(`poolscope: ${known ? (error as Error).message : `internal error: ${(error as Error).message}`}`);
    if (error instanceof CliError && error.status === 2) io.err(`run "poolscope ${command ? `${command} ` : ''}--help" for usage`);
    return error instanceof CliError ? error.status : 1;
  }
}

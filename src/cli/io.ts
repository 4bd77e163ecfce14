/** What a command reads and writes: stdout (data only), stderr (notes, progress, errors) and files. */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseCorpus } from '../corpus/parse';

/** A usage or input problem: printed as one line, exit status 2 (usage) or 1 (input). */
export class CliError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** Text out, with backpressure: `write` resolves once the text is buffered within limits. */
export interface Sink {
  write(text: string): Promise<void>;
  /** Everything written is handed to the operating system. */
  close(): Promise<void>;
}

export interface Io {
  /** Data: stdout. */
  out: Sink;
  /** One line of notes or errors on stderr. */
  err(line: string): void;
  /** Where progress is drawn (stderr): a bar when `isTTY`, plain lines otherwise. */
  progress: { isTTY: boolean; write(text: string): void; columns?: number };
  /** Opens a file for data (--out, --summary, --svg). */
  file(path: string): Sink;
}

const CHUNK = 64 * 1024;

/** Resolves when the stream can take more (or has closed or failed: the caller then sees why). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) stream.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.on(event, done);
  });
}

/**
 * A Sink over a Node stream. Text is gathered into ~64 KB chunks; a chunk the stream cannot take
 * at once waits for 'drain'; `close` resolves when the last chunk is written. Nothing is lost
 * through a pipe, and memory stays at about one chunk whatever the reader's speed.
 */
export class StreamSink implements Sink {
  private buffer: string[] = [];
  private size = 0;
  private failure: Error | undefined;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly end = false) {
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.size) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await drained(this.stream);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (this.end) this.stream.end(done);
      else this.stream.write('', done);
    });
  }
}

/** A file for data; a missing folder is reported at once, before any work. Errors name the file. */
export function fileSink(path: string): Sink {
  if (!existsSync(dirname(resolve(path)))) throw new CliError(`cannot write ${path}: no such folder`);
  const stream = createWriteStream(path);
  const sink = new StreamSink(stream, true);
  const named = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
    }
  };
  return {
    write: (text) => named(() => sink.write(text)),
    close: () => named(() => sink.close()),
  };
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`);
  }
}

export function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** The non-empty lines of a text file, trimmed: one text per line. */
export function readLines(file: string): string[] {
  return parseCorpus(readText(file), 'lines');
}

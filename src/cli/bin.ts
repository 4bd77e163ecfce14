/**
 * The process around `run`: stdout through a Sink that waits for the reader (nothing is lost
 * through a pipe), stderr for the rest, and an exit only after both are flushed. A reader that
 * closes the pipe early (`| head`) ends the run quietly with status 141, as SIGPIPE would.
 */
import { fileSink, StreamSink, type Io } from './io';
import { run } from './main';

const EXIT_PIPE_CLOSED = 141;

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_PIPE_CLOSED);
  });
}

const out = new StreamSink(process.stdout);
const io: Io = {
  out,
  err: (line) => void process.stderr.write(`${line}\n`),
  progress: { isTTY: Boolean(process.stderr.isTTY), write: (text) => void process.stderr.write(text), columns: process.stderr.columns },
  file: fileSink,
};

let status = await run(process.argv.slice(2), io);
try {
  await out.close();
} catch (error) {
  process.stderr.write(`poolscope: cannot write the output: ${(error as Error).message}\n`);
  status = status || 1;
}
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
// Dawn (the webgpu backend) can keep the event loop alive after its device is gone: exit explicitly.
process.exit(status);

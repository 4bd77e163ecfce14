// The CPU pairs worker under Node's worker_threads (started by src/engine/node.ts).
import { parentPort } from 'node:worker_threads';
import { serveCpuWorker, type ToWorker } from './cpu-worker';

const port = parentPort!;
serveCpuWorker({
  post: (message, transfer) => port.postMessage(message, transfer as never),
  listen: (handler) => port.on('message', (message: ToWorker) => handler(message)),
});

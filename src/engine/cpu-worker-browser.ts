// The CPU pairs worker as a dedicated Web Worker (started by src/engine/browser.ts).
import { serveCpuWorker, type ToWorker } from './cpu-worker';

const scope = self as unknown as DedicatedWorkerGlobalScope;
serveCpuWorker({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  listen: (handler) => {
    scope.onmessage = (event: MessageEvent<ToWorker>) => handler(event.data);
  },
});

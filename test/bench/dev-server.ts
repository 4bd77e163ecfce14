import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The app's Vite dev server on a free port, serving `modelsDir` (default: the fixtures) under /models/. */
export async function withDevServer<T>(fn: (url: string) => Promise<T>, modelsDir = resolve(repoRoot, 'test/fixtures/models')): Promise<T> {
  const saved = process.env.POOLSCOPE_MODELS_DIR;
  process.env.POOLSCOPE_MODELS_DIR = modelsDir;
  const server = await createServer({ root: repoRoot, configFile: resolve(repoRoot, 'vite.config.ts'), server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    return await fn(`http://127.0.0.1:${port}/`);
  } finally {
    await server.close();
    if (saved === undefined) delete process.env.POOLSCOPE_MODELS_DIR;
    else process.env.POOLSCOPE_MODELS_DIR = saved;
  }
}

import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream', '.model': 'application/octet-stream',
};

/**
 * Serves POOLSCOPE_MODELS_DIR under /models/ in `vite` and `vite preview`: a model there is
 * addressed as org/name, like a hub id, and the app tries it before the hub. Anything missing
 * is a real 404 (never the SPA's index.html), so transformers.js moves on to the hub.
 */
export function serveModelsDir(dir = process.env.POOLSCOPE_MODELS_DIR): Plugin {
  const root = dir ? resolve(dir) : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = req.url ?? '';
    if (!url.startsWith('/models/')) return next();
    const notFound = (why: string) => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(why);
    };
    if (!root) return notFound('no models directory is served: start the server with POOLSCOPE_MODELS_DIR=/path');
    const rel = decodeURIComponent(url.slice('/models/'.length).split('?')[0]);
    const file = resolve(root, rel);
    if (!(file === root || file.startsWith(root + sep))) return notFound('outside the models directory');
    if (!existsSync(file) || !statSync(file).isFile()) return notFound(`${rel} is not in the models directory`);
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };
  return {
    name: 'poolscope-serve-models',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

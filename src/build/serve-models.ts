import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream', '.model': 'application/octet-stream',
};

/** Sends a file, honouring a single `Range: bytes=a-b` (206) as the hub does. */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  const size = statSync(file).size;
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
  let start = 0;
  let end = size - 1;
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      res.statusCode = 416;
      res.setHeader('Content-Range', `bytes */${size}`);
      return void res.end();
    }
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  } else {
    res.statusCode = 200;
  }
  res.setHeader('Content-Length', String(end - start + 1));
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file, { start, end }).pipe(res);
}

/**
 * Serves POOLSCOPE_CORPUS_FILE as /corpus/wiki1m_for_simcse.txt, so the app's wiki1m loader reads
 * it (range requests included) before trying the hub. Tests point it at ../shared/data/.
 */
export function serveCorpusFile(file = process.env.POOLSCOPE_CORPUS_FILE): Plugin {
  const handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if ((req.url ?? '').split('?')[0] !== '/corpus/wiki1m_for_simcse.txt') return next();
    if (!file || !existsSync(file)) {
      res.statusCode = 404;
      return void res.end('no local copy of wiki1m: set POOLSCOPE_CORPUS_FILE=/path/to/wiki1m_for_simcse.txt');
    }
    sendFile(req, res, resolve(file));
  };
  return {
    name: 'poolscope-serve-corpus',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

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
    sendFile(req, res, file);
  };
  return {
    name: 'poolscope-serve-models',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

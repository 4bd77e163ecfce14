import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serveCorpusFile, serveModelsDir } from './src/build/serve-models.ts';

// Cross-origin isolation lets onnxruntime-web use threads (see shared/docs/testing-here.md).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), serveModelsDir(), serveCorpusFile()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // Plotly (4.6 MB) and onnxruntime load lazily, in their own chunks.
  build: { target: 'es2022', chunkSizeWarningLimit: 5000 },
  // transformers.js and onnxruntime-web load their wasm lazily; pre-bundling them reloads the page mid-test.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
});

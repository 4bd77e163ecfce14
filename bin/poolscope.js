#!/usr/bin/env node
// The `poolscope` command: the compiled CLI in dist/cli (built from src/cli by `npm run build:cli`;
// `npm install`, `npm pack` and the tests build it).
try {
  await import('../dist/cli/poolscope.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/poolscope.js')) {
    process.stderr.write('poolscope: the compiled CLI is missing (dist/cli/poolscope.js): run npm run build:cli\n');
    process.exit(1);
  }
  throw error;
}

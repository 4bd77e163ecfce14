/** Vitest global setup: the tests run the compiled CLI (bin/poolscope.js → dist/cli), so build it first if a source changed. */
import { buildCli } from '../../src/build/cli';

export default async function setup(): Promise<void> {
  await buildCli();
}

#!/usr/bin/env node
// The `poolscope` command. The sources are TypeScript; tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
const status = await run(process.argv.slice(2), (line) => console.log(line), (line) => console.error(line));
// Dawn can keep the event loop alive after the device is destroyed: exit explicitly.
process.exit(status);

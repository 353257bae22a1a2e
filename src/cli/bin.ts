#!/usr/bin/env node
// Entry point of the `dnn-verify` command, run as compiled JavaScript (dist/src/cli/bin.js; `npm run build`).
// Only main.js and errors.js load before a command is chosen: each command is imported when it runs, so
// `dnn-verify --help` costs little more than Node's own start-up.
import module from 'node:module';
import { main } from './main.ts';

// Node >= 22.1 keeps a cache of compiled code between runs (a no-op where it does not exist, as on Node 20).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
process.exitCode = await main(process.argv.slice(2));

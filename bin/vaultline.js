#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so `npm ci` is the whole install:
// no build step can go stale between a `git pull` and the next command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);

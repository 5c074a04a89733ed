#!/usr/bin/env node
// The `ladder` bin: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { cliMain } = await import('../src/cli/index.ts');
await cliMain();

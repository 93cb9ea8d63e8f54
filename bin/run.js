#!/usr/bin/env node
import module from 'node:module';

// Cache V8's compiled code between runs: start-up is a feature for scripted batch use.
module.enableCompileCache?.();

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });

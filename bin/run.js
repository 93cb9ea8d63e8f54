#!/usr/bin/env node
import module from 'node:module';

// Cache V8's compiled code between runs: start-up is a feature for scripted batch use.
module.enableCompileCache?.();

// No top-level await: a reader that closes the pipe early (`| head`) must not leave an
// unsettled await behind, and oclif handles its own errors and exit code.
import('@oclif/core').then(({ execute }) => execute({ dir: import.meta.url }));

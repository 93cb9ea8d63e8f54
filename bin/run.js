#!/usr/bin/env node
import module from 'node:module';

// Node 20 is past its end of life: a tool that carries young people's data runs on a
// supported line only. Exit 4: the environment is not usable (SPEC §3).
const [major, minor] = process.versions.node.split('.').map(Number);
if (!((major === 22 && minor >= 22) || (major === 24 && minor >= 15) || major >= 26)) {
  process.stderr.write(
    `handover needs Node.js 22.22+ or 24.15+ (this is ${process.version}).\n` +
      '  In a clone of handover: . scripts/node24.sh   (takes Node 24 from the npm registry)\n',
  );
  process.exit(4);
}

// Cache V8's compiled code between runs: start-up is a feature for scripted batch use.
module.enableCompileCache?.();

// No top-level await: a reader that closes the pipe early (`| head`) must not leave an
// unsettled await behind, and oclif handles its own errors and exit code.
import('@oclif/core').then(({ execute }) => execute({ dir: import.meta.url }));

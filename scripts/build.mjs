// Build: compile TypeScript to dist/ and write the oclif manifest (start-up depends on it:
// without it oclif imports every command to answer --version).
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']);

/**
 * The unit tier runs in-process only. A test that starts a process (the CLI, openssl, poppler,
 * PostgreSQL…) belongs in the e2e tier: here every way of starting one throws, so a file in the
 * wrong tier fails at once instead of slowing the quick run down.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
for (const name of names) {
  (childProcess as unknown as Record<string, unknown>)[name] = () => {
    throw new Error(
      `child_process.${name} in the unit tier: a test that starts a process belongs in test:e2e (vitest.config.ts)`,
    );
  };
}
syncBuiltinESMExports();

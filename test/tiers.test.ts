/**
 * The unit tier starts no process (vitest.config.ts, test/helpers/no-subprocess.ts): a test that
 * needs one fails here at once, naming the tier it belongs in, instead of slowing the quick run.
 */
import { exec, execFile, execFileSync, execSync, fork, spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the unit tier', () => {
  it.each([
    ['spawn', () => spawn('true')],
    ['spawnSync', () => spawnSync('true')],
    ['exec', () => exec('true')],
    ['execSync', () => execSync('true')],
    ['execFile', () => execFile('true')],
    ['execFileSync', () => execFileSync('true')],
    ['fork', () => fork('/dev/null')],
  ])('refuses child_process.%s, pointing to test:e2e', (_name, start) => {
    expect(start).toThrow(/belongs in test:e2e/);
  });
});

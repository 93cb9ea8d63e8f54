import { describe, expect, it } from 'vitest';
import Schema from '../src/commands/schema.js';
import { runBin, runCommand } from './helpers/cli.js';

describe('usage errors exit 2 (SPEC §3), in-process and as a subprocess', () => {
  it.each([
    ['an unknown flag', ['--bogus']],
    ['a value outside the options', ['--kind', 'nope']],
    ['an unknown language', ['--lang', 'de']],
  ])('%s', async (_name, argv) => {
    expect((await runCommand(Schema, argv)).exitCode).toBe(2);
    const r = await runBin(['schema', ...argv]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+\)/);
  });

  it('under --json the usage error is a JSON object on stdout', async () => {
    const r = await runCommand(Schema, ['--kind', 'nope', '--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'USAGE', exit: 2 } });
  });

  it('an unknown command exits 2 too', async () => {
    const r = await runBin(['no-such-command']);
    expect(r.exitCode).toBe(2);
  });
});

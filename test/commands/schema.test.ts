/** `handover schema`: the frozen schema of each format version, byte for byte (SPEC §5.6). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Schema from '../../src/commands/schema.js';
import { ROOT, runBin, runCommand, tempDir } from '../helpers/cli.js';

const env = { HANDOVER_HOME: tempDir(), HANDOVER_LANG: 'en', NO_COLOR: '1' };
const file = (name: string) => readFileSync(join(ROOT, 'schemas', name), 'utf8');

describe('schema', () => {
  it.each([
    [['--version', '1.0'], 'handover-1.0.schema.json'],
    [['--version', '1.1'], 'handover-1.1.schema.json'],
    [['--version', '1.2'], 'handover-1.2.schema.json'],
    [[], 'handover.schema.json'],
    [['--kind', 'receipt', '--version', '1.1'], 'receipt-1.1.schema.json'],
    [['--kind', 'receipt', '--version', '1.0'], 'receipt-1.0.schema.json'],
    [['--kind', 'withdrawal', '--version', '1.0'], 'withdrawal-1.0.schema.json'],
    [['--kind', 'withdrawal'], 'withdrawal.schema.json'],
  ])('prints %j as %s, byte for byte', async (args, name) => {
    const r = await runCommand(Schema, args, env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(file(name));
  });

  it('prints the newest version by default: 1.2', async () => {
    const r = await runCommand(Schema, [], env);
    expect(JSON.parse(r.stdout).properties.schemaVersion.const).toBe('1.2');
    expect(r.stdout).toBe(file('handover-1.2.schema.json'));
  });

  it('prints the frozen 1.0 schema as a subprocess of the built CLI', async () => {
    const r = await runBin(['schema', '--version', '1.0'], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(file('handover-1.0.schema.json'));
  });

  it('returns the schema as the --json result', async () => {
    const r = await runCommand(Schema, ['--version', '1.0', '--json'], env);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(file('handover-1.0.schema.json')));
  });
});

describe('schema --version of a version it does not have', () => {
  it.each([
    [
      '1.3',
      'Format version 1.3 is newer than this handover knows (it has 1.0, 1.1, 1.2). Update handover to get it.',
    ],
    [
      '2.0',
      'Format version 2.0 is newer than this handover knows (it has 1.0, 1.1, 1.2). Update handover to get it.',
    ],
    ['0.9', 'handover has no format version "0.9": it has 1.0, 1.1, 1.2.'],
  ])('refuses %s: SCHEMA_VERSION_UNSUPPORTED, exit 2, nothing on stdout', async (version, message) => {
    const r = await runCommand(Schema, ['--version', version, '--json'], env);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'SCHEMA_VERSION_UNSUPPORTED', message, exit: 2, details: [] },
    });
    const human = await runCommand(Schema, ['--version', version], env);
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(message);
  });

  it('says it in Finnish and Swedish too', async () => {
    const fi = await runCommand(Schema, ['--version', '1.3', '--lang', 'fi'], env);
    expect(fi.stderr).toContain('Päivitä handover');
    const sv = await runCommand(Schema, ['--version', '1.3', '--lang', 'sv'], env);
    expect(sv.stderr).toContain('Uppdatera handover');
  });
});

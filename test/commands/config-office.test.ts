/**
 * `config list`, `get` and `set` never print the office database's password (issue 22.11): the
 * address is shown as every other message shows it (`postgres://user:***@host/db`), whether the
 * password sits in the user part or in a `?password=` parameter; config.json keeps it whole.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ConfigGet from '../../src/commands/config/get.js';
import ConfigList from '../../src/commands/config/list.js';
import ConfigSet from '../../src/commands/config/set.js';
import { shutdownRegisters } from '../../src/register/index.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { type PgServer, requirePostgresInCi, startPostgres } from '../helpers/postgres.js';

const withPg = requirePostgresInCi();
let pg: PgServer | undefined;
const SECRET = 'S3cret-Pw-9';

beforeAll(async () => {
  if (withPg) pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await shutdownRegisters();
  pg?.stop();
});

describe.runIf(withPg)('the office address in config output', () => {
  it('is masked in list, get and set, human and --json; the file keeps it', async () => {
    const home = tempDir('handover-config-office-');
    // Trust authentication: the server accepts any password, so the address is a working one.
    const base = pg!.createDatabase('cfg').replace('postgres://postgres@', `postgres://postgres:${SECRET}@`);
    const url = `${base}?password=${SECRET}`;
    writeFileSync(join(home, 'config.json'), JSON.stringify({ register: { url } }));
    const env = { HANDOVER_HOME: home, HANDOVER_LANG: 'en' };
    const outputs = [
      await runCommand(ConfigList, [], env),
      await runCommand(ConfigList, ['--json'], env),
      await runCommand(ConfigGet, ['register.url'], env),
      await runCommand(ConfigGet, ['register.url', '--json'], env),
      await runCommand(ConfigSet, ['register.url', url, '--json'], env),
    ];
    for (const o of outputs) {
      expect(o.exitCode, o.stderr).toBe(0);
      expect(`${o.stdout}${o.stderr}`).not.toContain(SECRET);
    }
    expect(outputs[0]!.stdout).toContain('register.url=postgres://postgres:***@127.0.0.1:');
    expect(JSON.parse(outputs[1]!.stdout).values['register.url']).toMatch(
      /^postgres:\/\/postgres:\*\*\*@.*password=\*\*\*$/,
    );
    expect(readFileSync(join(home, 'config.json'), 'utf8')).toContain(SECRET);
  });
});

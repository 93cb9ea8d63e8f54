/**
 * What a worker reads when the office's database cannot be used (issue 25): a message per
 * cause in their language, never the server's SQLSTATE ("3D000", "28000") or a socket code;
 * another database's address is refused before it is tried; `config list` still lists this
 * machine's settings (exit 0) and says the office is unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, tempDir } from '../helpers/cli.js';
import { type PgServer, requirePostgresInCi, startPostgres } from '../helpers/postgres.js';

const withPg = requirePostgresInCi();
const describePg = withPg ? describe : describe.skip;
let pg: PgServer;
let url: string;

beforeAll(async () => {
  if (!withPg) return;
  pg = await startPostgres();
  url = pg.createDatabase('errors');
}, 120_000);
afterAll(() => pg?.stop());

const run = (args: string[], dbUrl: string, lang = 'sv') =>
  runBin(args, {
    env: { HANDOVER_HOME: tempDir('handover-dberr-'), HANDOVER_DATABASE_URL: dbUrl, HANDOVER_LANG: lang },
    timeoutMs: 30_000,
  });

const noCodes = (text: string) => {
  expect(text).not.toMatch(/3D000|28000|28P01|ECONNREFUSED|ENOTFOUND/);
};

describePg('an office database that cannot be used', () => {
  it('a database that does not exist: said so, with how to create it', async () => {
    const r = await run(['register', 'list'], url.replace(/\/errors$/, '/nosuchdb'));
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('finns inte på servern');
    expect(r.stderr).toContain('CREATE DATABASE');
    noCodes(r.stderr);
  }, 60_000);

  it('a user the server does not know: the user name or password', async () => {
    const r = await run(['register', 'list', '--json'], url.replace('postgres@', 'nosuchrole@'), 'fi');
    expect(r.exitCode).toBe(4);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe('REGISTER_UNAVAILABLE');
    expect(err.message).toContain('ei hyväksynyt käyttäjätunnusta tai salasanaa');
    noCodes(err.message);
  }, 60_000);

  it('a server that is not running: the connection was refused', async () => {
    const r = await run(['register', 'list'], url.replace(/:(\d+)\//, ':1/'), 'en');
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('refused the connection');
    noCodes(r.stderr);
  }, 60_000);

  it("config list exits 0 with this machine's settings and says the office is unreachable", async () => {
    const r = await run(['config', 'list'], url.replace(/:(\d+)\//, ':1/'), 'en');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("The office's database cannot be read");
    const j = await run(['config', 'list', '--json'], url.replace(/:(\d+)\//, ':1/'), 'en');
    expect(j.exitCode).toBe(0);
    expect(JSON.parse(j.stdout).office).toMatchObject({
      reachable: false,
      error: { code: 'REGISTER_UNAVAILABLE' },
    });
  }, 60_000);
});

describePg('register migrate from an empty home', () => {
  it('is refused (NOTHING_TO_MIGRATE, exit 2) and records nothing in the office', async () => {
    const db = pg.createDatabase('emptyhome');
    const home = tempDir('handover-empty-');
    const r = await runBin(['register', 'migrate', '--to', db, '--json'], {
      env: { HANDOVER_HOME: home, HANDOVER_LANG: 'en' },
      timeoutMs: 30_000,
    });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('NOTHING_TO_MIGRATE');
    // The office's audit holds no "migrate" entry and no empty worker chain.
    const audit = await runBin(['audit', '--verify', '--json'], {
      env: { HANDOVER_HOME: home, HANDOVER_DATABASE_URL: db },
      timeoutMs: 30_000,
    });
    expect(audit.stdout).not.toContain('migrate');
    expect(audit.stdout).not.toContain('worker:');
  }, 60_000);
});

describe('another database than PostgreSQL', () => {
  it('HANDOVER_DATABASE_URL=mysql://… is refused with DATABASE_URL_UNSUPPORTED, not tried', async () => {
    const r = await run(
      ['register', 'list', '--json'],
      'mysql://worker:pw@db.example.invalid/handover',
      'en',
    );
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'DATABASE_URL_UNSUPPORTED', exit: 4 });
    expect(JSON.parse(r.stdout).error.message).toContain('"mysql"');
    expect(r.stdout).not.toContain('pw@');
  }, 60_000);
});

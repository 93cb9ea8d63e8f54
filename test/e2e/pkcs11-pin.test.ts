/**
 * The token's PIN asked on a real terminal (tmux runs the built CLI without
 * HANDOVER_PKCS11_PIN): `keys import --pkcs11` and then `sign` each ask for it, masked, and
 * the PIN never shows on the screen.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';
import { makeToken, type TestToken, tokenSuite } from '../helpers/softhsm.js';

const PIN = 'pin5820q17';
const suite = tokenSuite();
const describeToken = suite.run ? describe : describe.skip;
const socket = `handover-pin-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const screen = (): string => tmux('capture-pane', '-p', '-t', 'w');

let token: TestToken;
let home: string;
let work: string;

afterEach(() => {
  try {
    tmux('kill-server');
  } catch {}
});

beforeAll(() => {
  if (!suite.run) return;
  token = makeToken({ organization: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0', pin: PIN });
  home = tempDir('handover-pin-home-');
  work = tempDir('handover-pin-files-');
  writeFileSync(
    join(home, 'config.json'),
    JSON.stringify({
      organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0', municipalityCode: '837' },
      defaults: { keyAlias: 'office' },
    }),
  );
}, 60_000);

/** Runs the CLI in a terminal; returns the file its exit code lands in. */
function start(args: string[]): string {
  const exitFile = join(tempDir(), 'exit');
  const cmd = `cd '${work}' && env -u CI -u HANDOVER_PKCS11_PIN HANDOVER_HOME='${home}' HANDOVER_LANG=en SOFTHSM2_CONF='${token.env.SOFTHSM2_CONF}' '${process.execPath}' '${BIN}' ${args.join(' ')}; echo $? > '${exitFile}'; sleep 30`;
  tmux('new-session', '-d', '-s', 'w', '-x', '160', '-y', '40', cmd);
  return exitFile;
}

async function waitFor(test: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (!test()) {
    if (Date.now() > until) throw new Error(`waited for ${what}, screen:\n${screen()}`);
    await sleep(50);
  }
}

async function enterPin(exitFile: string): Promise<string> {
  await waitFor(() => screen().includes('PIN of the token "office"'), 'the PIN prompt');
  tmux('send-keys', '-t', 'w', '-l', PIN);
  tmux('send-keys', '-t', 'w', 'Enter');
  await waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'the exit code');
  return readFileSync(exitFile, 'utf8').trim();
}

describeToken('the PIN asked on a terminal', () => {
  it('keys import --pkcs11 asks for it masked, and imports', async () => {
    const exit = start([
      'keys',
      'import',
      '--pkcs11',
      token.module,
      '--token',
      'office',
      '--key',
      'org',
      '--alias',
      'office',
    ]);
    expect(await enterPin(exit)).toBe('0');
    const s = screen();
    expect(s).toContain('Imported the signing key "office"');
    expect(s).not.toContain(PIN);
  }, 60_000);

  it('sign asks for it again (it was not stored) and signs', async () => {
    const file = join(work, 'case.handover.json');
    copyFileSync(join(ROOT, 'test', 'letter', 'fixtures', 'aftercare.handover.json'), file);
    const exit = start(['sign', file, '--in-place']);
    expect(await enterPin(exit)).toBe('0');
    expect(screen()).not.toContain(PIN);
    expect(JSON.parse(readFileSync(file, 'utf8')).signature.jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
  }, 60_000);
});

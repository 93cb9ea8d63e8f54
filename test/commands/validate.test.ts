import { spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Validate from '../../src/commands/validate.js';
import { BIN, ROOT, runBin, runCommand, tempDir } from '../helpers/cli.js';

const COMPLETE = join(ROOT, 'test/fixtures/schema/complete.handover.json');
const complete = () => JSON.parse(readFileSync(COMPLETE, 'utf8')) as Record<string, any>;
const env = { HANDOVER_HOME: tempDir(), HANDOVER_LANG: 'en', NO_COLOR: '1' };

let dir: string;
beforeAll(() => {
  dir = tempDir();
  copyFileSync(COMPLETE, join(dir, 'a.json'));
  const bad = complete();
  bad.youth.personalIdentityCode = '131052-308U';
  delete bad.sender.backupContact;
  writeFileSync(join(dir, 'b.json'), JSON.stringify(bad, null, 2));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'c.json'), '{"schemaVersion": "1.0", "schemaVersion": "1.0"}');
  writeFileSync(join(dir, 'sub', 'notes.txt'), 'not json, not walked');
});

describe('validate --json', () => {
  it('reports each file with exactly the six finding keys, and a summary per rule', async () => {
    const r = await runCommand(Validate, [dir, '--json'], env);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ files: 3, valid: 1, invalid: 2 });
    expect(out.summary.byRule).toMatchObject({ HETU_INVALID: 1, BACKUP_CONTACT_MISSING: 1, JSON_PARSE: 1 });
    const files = Object.fromEntries(out.files.map((f: any) => [f.file.slice(dir.length + 1), f]));
    expect(Object.keys(files)).toEqual(['a.json', 'b.json', 'sub/c.json']);
    expect(files['a.json']).toEqual({
      file: join(dir, 'a.json'),
      kind: 'handover',
      valid: true,
      findings: [],
    });
    const hetu = files['b.json'].findings.find((f: any) => f.rule === 'HETU_INVALID');
    expect(Object.keys(hetu).sort()).toEqual(['column', 'line', 'message', 'pointer', 'rule', 'severity']);
    const lines = readFileSync(join(dir, 'b.json'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('"personalIdentityCode"')) + 1;
    const column = lines[line - 1]!.indexOf('"131052') + 1;
    expect(hetu).toMatchObject({ severity: 'error', pointer: '/youth/personalIdentityCode', line, column });
    expect(hetu.message).not.toContain('131052-308U');
    expect(files['sub/c.json'].findings).toMatchObject([
      { rule: 'JSON_PARSE', pointer: '/schemaVersion', line: 1 },
    ]);
  });

  it('lets warnings pass unless --strict', async () => {
    const warnOnly = complete();
    delete warnOnly.sender.backupContact;
    const f = join(tempDir(), 'warn.json');
    writeFileSync(f, JSON.stringify(warnOnly, null, 2));
    const lenient = await runCommand(Validate, [f, '--json'], env);
    expect(lenient.exitCode).toBe(0);
    expect(JSON.parse(lenient.stdout).files[0]).toMatchObject({
      valid: true,
      findings: [{ rule: 'BACKUP_CONTACT_MISSING', severity: 'warning', pointer: '/sender' }],
    });
    const strict = await runCommand(Validate, [f, '--json', '--strict'], env);
    expect(strict.exitCode).toBe(1);
  });
});

describe('validate (human)', () => {
  it('groups findings by file with file:line:column', async () => {
    const r = await runCommand(Validate, [join(dir, 'b.json')], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/b\.json:\d+:\d+ error HETU_INVALID \/youth\/personalIdentityCode/);
    expect(r.stdout).toContain('Files 1: valid 0, invalid 1; errors 1, warnings 1.');
  });

  it('speaks Finnish and Swedish', async () => {
    const fi = await runCommand(Validate, [join(dir, 'a.json'), '--lang', 'fi'], env);
    expect(fi.stdout).toBe('Tiedostoja 1: kelvollisia 1, virheellisiä 0; virheitä 0, varoituksia 0.\n');
    const sv = await runCommand(Validate, [join(dir, 'b.json')], { ...env, HANDOVER_LANG: 'sv' });
    expect(sv.stdout).toContain('ogiltig');
    expect(sv.stdout).toContain('varning BACKUP_CONTACT_MISSING /sender');
  });
});

describe('validate inputs and exit codes', () => {
  it('exits 2 on a path that does not exist, before any output', async () => {
    const r = await runCommand(Validate, [join(dir, 'a.json'), join(dir, 'missing.json')], env);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('PATH_NOT_FOUND');
  });

  it('takes glob patterns', async () => {
    const r = await runCommand(Validate, [`${dir}/*.json`, '--json'], env);
    expect(JSON.parse(r.stdout).summary.files).toBe(2);
  });

  it('reports a file it cannot read as FILE_UNREADABLE, exit 1', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file: a folder passed where a file is expected is unreadable too.
      const r = await runCommand(Validate, [join(dir, 'sub/c.json/..'), '--json'], env);
      expect(r.exitCode).toBe(1);
    }
    const f = join(tempDir(), 'locked.json');
    copyFileSync(COMPLETE, f);
    chmodSync(f, 0o000);
    const r = await runCommand(Validate, [f, '--json'], env);
    if (process.getuid?.() !== 0) {
      expect(r.exitCode).toBe(1);
      expect(JSON.parse(r.stdout).files[0].findings[0].rule).toBe('FILE_UNREADABLE');
    } else expect(r.exitCode).toBe(0);
  });

  it.each([
    ['an empty file', ''],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['not JSON', 'hello'],
    ['200,000-deep nesting', `${'['.repeat(200_000)}${']'.repeat(200_000)}`],
    ['a __proto__ member', '{"__proto__": {"admin": true}}'],
    ['a __proto__ member in a handover', '{"schemaVersion": "1.1", "__proto__": {"admin": true}}'],
  ])('turns %s into a finding, not a crash', async (_name, content) => {
    const f = join(tempDir(), 'hostile.json');
    writeFileSync(f, content);
    const r = await runCommand(Validate, [f, '--json'], env);
    expect(r.exitCode).toBe(1);
    const findings = JSON.parse(r.stdout).files[0].findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(['JSON_PARSE', 'SCHEMA', 'DOCUMENT_UNKNOWN']).toContain(findings[0].rule);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+\)/);
  });

  it('refuses a 6 MiB file as FILE_TOO_LARGE without reading it', async () => {
    const f = join(tempDir(), 'big.json');
    writeFileSync(f, `{"notes": "${'x'.repeat(6 * 1024 * 1024)}"}`);
    const r = await runCommand(Validate, [f, '--json'], env);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).files[0].findings).toMatchObject([{ rule: 'FILE_TOO_LARGE', pointer: '' }]);
  });
});

describe('validate as a subprocess (worker threads, other formats)', () => {
  let many: string;
  beforeAll(() => {
    many = tempDir();
    const base = readFileSync(COMPLETE, 'utf8');
    for (let i = 0; i < 300; i++) writeFileSync(join(many, `${String(i).padStart(3, '0')}.json`), base);
    writeFileSync(join(many, '150.json'), base.replace('131052', '131052').replace('"905"', '"999"'));
  });

  it('validates a batch on worker threads, in input order', async () => {
    const r = await runBin(['validate', many, '--json'], { env });
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ files: 300, valid: 299, invalid: 1 });
    expect(out.files.map((f: any) => f.file)).toEqual([...out.files.map((f: any) => f.file)].sort());
    expect(out.files[150].findings[0]).toMatchObject({ rule: 'MUNICIPALITY_UNKNOWN' });
  });

  it('finds a duplicate key hidden from JSON.parse and one escaped deep, on worker threads, with its place', async () => {
    // Issue 21 item 6, built as an attacker would: a file whose object with a backslash member
    // makes Node 24's JSON.parse read the next escaped "a" as a backslash (the duplicate hidden),
    // and one with "\\u0061" beside "a" deep down; both in a batch large enough for workers.
    const batch = tempDir();
    const base = readFileSync(COMPLETE, 'utf8');
    for (let i = 0; i < 250; i++) writeFileSync(join(batch, `${String(i).padStart(3, '0')}.json`), base);
    const hidden = base.replace(
      /\n}\s*$/,
      ',\n  "x": {"a": 0, "\\\\": 1},\n  "y": {"a": 0, "\\u0061": 1}\n}\n',
    );
    writeFileSync(join(batch, '100.json'), hidden);
    const deep = base.replace(
      '"youth": {',
      '"youth": {\n    "extra": {"k": {"l": {"a": 1,\n      "\\u0061": 2}}},',
    );
    writeFileSync(join(batch, '200.json'), deep);
    const r = await runBin(['validate', batch, '--json'], { env });
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ files: 250, valid: 248, invalid: 2 });
    const lines = hidden.split('\n');
    const yLine = lines.findIndex((l) => l.includes('"y"')) + 1;
    expect(out.files[100].findings).toEqual([
      expect.objectContaining({
        rule: 'JSON_PARSE',
        pointer: '/y/a',
        line: yLine,
        column: lines[yLine - 1]!.indexOf('"\\u0061"') + 1,
      }),
    ]);
    const deepLines = deep.split('\n');
    const at = deepLines.findIndex((l) => l.includes('"\\u0061"'));
    expect(out.files[200].findings).toEqual([
      expect.objectContaining({
        rule: 'JSON_PARSE',
        pointer: '/youth/extra/k/l/a',
        line: at + 1,
        column: deepLines[at]!.indexOf('"') + 1,
      }),
    ]);
  });

  it('writes JUnit XML and SARIF', async () => {
    const junit = await runBin(['validate', join(dir, 'b.json'), '--format', 'junit'], { env });
    expect(junit.stdout).toMatch(/^<\?xml/);
    expect(junit.stdout).toContain('<failure type="HETU_INVALID"');
    const sarif = await runBin(['validate', join(dir, 'b.json'), '--format', 'sarif'], { env });
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.map((x: any) => x.ruleId)).toContain('HETU_INVALID');
  });

  it('prints no progress bar and no stack when not on a terminal', async () => {
    const r = await runBin(['validate', many], { env });
    expect(r.stderr).toBe('');
  });
});

describe('validate --verify-signatures', () => {
  it('reports missing, invalid and untrusted signatures with their codes', async () => {
    const { makeOrg, as } = await import('../register/orgs.js');
    const { signDocument } = await import('../../src/signing/jws.js');
    const { loadSigningIdentity } = await import('../../src/keystore/index.js');
    const a = await makeOrg('Pirkanmaan hyvinvointialue', '1572860-0', '837');
    const b = await makeOrg('Pohjanmaan hyvinvointialue', '0166906-4', '905');
    const files = tempDir();
    const doc = complete();
    const signed = await as(a, async () => signDocument(doc, await loadSigningIdentity()));
    writeFileSync(join(files, '1-signed.json'), JSON.stringify(signed, null, 2));
    writeFileSync(join(files, '2-unsigned.json'), JSON.stringify(doc, null, 2));
    const tampered = structuredClone(signed);
    tampered.youth.name.given = 'Eino';
    writeFileSync(join(files, '3-tampered.json'), JSON.stringify(tampered, null, 2));

    // B trusts nobody yet: an intact signature is untrusted, not invalid.
    const before = await runCommand(Validate, [files, '--json', '--verify-signatures'], { ...env, ...b.env });
    const rules = (r: { stdout: string }) =>
      JSON.parse(r.stdout).files.map((f: any) =>
        f.findings.filter((x: any) => x.rule.startsWith('SIGNATURE_')).map((x: any) => x.rule),
      );
    expect(before.exitCode).toBe(1);
    expect(rules(before)).toEqual([['SIGNATURE_UNTRUSTED'], ['SIGNATURE_MISSING'], ['SIGNATURE_INVALID']]);

    const { addTrusted } = await import('../../src/signing/trust.js');
    await as(b, () => addTrusted(a.certPem, 'pirkanmaa'));
    const after = await runCommand(Validate, [files, '--json', '--verify-signatures'], { ...env, ...b.env });
    expect(rules(after)).toEqual([[], ['SIGNATURE_MISSING'], ['SIGNATURE_INVALID']]);
    expect(JSON.parse(after.stdout).files[0].valid).toBe(true);

    // Without the flag, signatures are not looked at.
    const plain = await runCommand(Validate, [files, '--json'], { ...env, ...b.env });
    expect(rules(plain)).toEqual([[], [], []]);
  });
});

describe('validate on an empty folder', () => {
  it('exits 0 with an empty summary, and says so on stderr', async () => {
    const empty = tempDir();
    const r = await runCommand(Validate, [empty], env);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`No .json files found in ${empty}.`);
    const j = await runCommand(Validate, [empty, '--json'], env);
    expect(JSON.parse(j.stdout)).toEqual({
      files: [],
      summary: { files: 0, valid: 0, invalid: 0, errors: 0, warnings: 0, byRule: {} },
    });
    expect(j.stderr).toBe('');
  });
});

describe('validate: format versions and documents that are none of ours', () => {
  const COMPLETE_1_1 = join(ROOT, 'test/fixtures/schema/complete-1.1.handover.json');
  const write = (name: string, content: string) => {
    const f = join(tempDir(), name);
    writeFileSync(f, content);
    return f;
  };
  const withVersion = (v: unknown) => {
    const d = complete();
    d.schemaVersion = v;
    return JSON.stringify(d, null, 2);
  };

  it('reads a 1.0 and a complete 1.1 file, each against its own schema', async () => {
    const r = await runCommand(Validate, [COMPLETE, COMPLETE_1_1, '--json'], env);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).files.map((f: any) => [f.kind, f.valid, f.findings])).toEqual([
      ['handover', true, []],
      ['handover', true, []],
    ]);
  });

  it('finds a 1.1 member in a file that says 1.0 (SCHEMA)', async () => {
    const d = complete();
    d.replyBy = '2026-12-04';
    const r = await runCommand(Validate, [write('old.json', JSON.stringify(d, null, 2)), '--json'], env);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).files[0].findings).toMatchObject([
      {
        rule: 'SCHEMA',
        pointer: '/replyBy',
        line: expect.any(Number),
        message: expect.stringContaining('additionalProperties'),
      },
    ]);
  });

  it.each([
    ['1.3', 'newer than this version of handover reads (1.0, 1.1, 1.2). Update handover'],
    ['2.0', 'Update handover to read it'],
    ['0.9', 'is not one that handover reads (1.0, 1.1, 1.2)'],
    [1.1, 'must be a string such as "1.2"'],
  ])('gives schemaVersion %j exactly one SCHEMA_VERSION_UNSUPPORTED', async (version, text) => {
    const r = await runCommand(Validate, [write('v.json', withVersion(version)), '--json'], env);
    expect(r.exitCode).toBe(1);
    const file = JSON.parse(r.stdout).files[0];
    expect(file).toMatchObject({ kind: 'handover', valid: false });
    expect(file.findings).toEqual([
      {
        rule: 'SCHEMA_VERSION_UNSUPPORTED',
        severity: 'error',
        pointer: '/schemaVersion',
        line: 2,
        column: 20,
        message: expect.stringContaining(text),
      },
    ]);
  });

  it.each([
    ['[]', '', null],
    ['42', '', null],
    ['{}', '', null],
    ['{"kind":"memo"}', '/kind', 1],
  ])('gives %s exactly one DOCUMENT_UNKNOWN, kind "unknown"', async (content, pointer, line) => {
    const r = await runCommand(Validate, [write('x.json', content), '--json'], env);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.files[0]).toMatchObject({ kind: 'unknown', valid: false });
    expect(out.files[0].findings).toHaveLength(1);
    expect(out.files[0].findings[0]).toMatchObject({
      rule: 'DOCUMENT_UNKNOWN',
      severity: 'error',
      pointer,
      line,
    });
    expect(out.summary.byRule).toEqual({ DOCUMENT_UNKNOWN: 1 });
  });

  it('says so in the chosen language as a subprocess of the built CLI', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'memo.json'), '{"kind": "memo"}');
    writeFileSync(join(dir, 'new.json'), withVersion('1.3'));
    const r = await runBin(['validate', dir, '--lang', 'fi'], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('DOCUMENT_UNKNOWN');
    expect(r.stdout).toContain('kind "memo" on tuntematon');
    expect(r.stdout).toContain('SCHEMA_VERSION_UNSUPPORTED');
    expect(r.stdout).toContain('Päivitä handover');
  });
});

describe('validate for back-office scripts (SPEC §5.5)', () => {
  it('reads one document from standard input as "-"', async () => {
    const r = await runBin(['validate', '-', '--json'], { env, input: readFileSync(COMPLETE) });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual([{ file: '-', kind: 'handover', valid: true, findings: [] }]);
    const cut = await runBin(['validate', '-', '--json'], {
      env,
      input: readFileSync(COMPLETE).subarray(0, 300),
    });
    expect(cut.exitCode).toBe(1);
    expect(JSON.parse(cut.stdout).files[0]).toMatchObject({ file: '-', findings: [{ rule: 'JSON_PARSE' }] });
  });

  it('stops reading an endless standard input at the size limit (issue 22.13: validate - < /dev/zero)', async () => {
    // The input as an attacker gives it: a device that never ends, as the shell redirects it.
    const zero = openSync('/dev/zero', 'r');
    const child = spawn(process.execPath, [BIN, 'validate', '-', '--json', '--max-size', '64'], {
      env: { ...process.env, ...env },
      stdio: [zero, 'pipe', 'pipe'],
    });
    closeSync(zero);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    // Generous: before the fix it never ended; killed, it would end with a signal instead of 1.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    expect(code).toBe(1);
    const file = JSON.parse(stdout).files[0];
    expect(file).toMatchObject({ file: '-', valid: false, findings: [{ rule: 'FILE_TOO_LARGE' }] });
    expect(file.findings[0].message).toContain(String(64 * 1024));
  }, 90_000);

  it('names the first byte that is not UTF-8, with its line, and how to convert the file', async () => {
    const latin = join(tempDir(), 'latin.json');
    writeFileSync(
      latin,
      Buffer.concat([
        Buffer.from('{"schemaVersion": "1.1",\n "notes": "'),
        Buffer.from([0xe4]),
        Buffer.from('iti"}'),
      ]),
    );
    const r = await runCommand(Validate, [latin, '--json'], env);
    const [f] = JSON.parse(r.stdout).files[0].findings;
    expect(f).toMatchObject({ rule: 'JSON_PARSE', line: 2, column: 12 });
    expect(f.message).toContain('byte 36 (0xE4)');
    expect(f.message).toContain('iconv -f latin1 -t utf-8');
  });

  it('says that a file ending inside a value looks cut off, and where', async () => {
    const cut = join(tempDir(), 'cut.json');
    writeFileSync(cut, readFileSync(COMPLETE).subarray(0, 300));
    const r = await runCommand(Validate, [cut, '--json'], env);
    const [f] = JSON.parse(r.stdout).files[0].findings;
    expect(f.message).toContain('looks cut off');
    expect(f.line).toBeGreaterThan(1);
    // A syntax error in the middle is not called cut off.
    const broken = join(tempDir(), 'broken.json');
    writeFileSync(broken, '{"schemaVersion" "1.1", "id": "x"}');
    const b = await runCommand(Validate, [broken, '--json'], env);
    expect(JSON.parse(b.stdout).files[0].findings[0].message).toBe('The file is not valid JSON.');
  });

  it('--json with another --format is a usage error (exit 2), not a silent choice', async () => {
    const r = await runCommand(Validate, [COMPLETE, '--json', '--format', 'sarif'], env);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'USAGE',
      exit: 2,
      details: [{ pointer: '--format' }],
    });
    expect((await runCommand(Validate, [COMPLETE, '--json', '--format', 'json'], env)).exitCode).toBe(0);
  });
});

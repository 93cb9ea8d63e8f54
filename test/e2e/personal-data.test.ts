/**
 * SPEC §10: no identity code or youth's name in error messages, logs, the audit log, the
 * register or file names unless the user typed it in that run. The main commands run (the
 * built CLI, three organisations) on documents about one distinctive invented youth, along
 * their error paths: invalid, unparseable, tampered, not addressed to us, a bad draft, the
 * wrong key. Nothing here is typed by the user: every value comes from a file, so none may
 * come back. Searched: stdout and stderr (except where a command exists to show the
 * document), every file name under HANDOVER_HOME and the output folders, the contents of
 * every file under HANDOVER_HOME (audit log, register and its WAL, config, trust store) and
 * of every receipt the tool wrote.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import type { Handover } from '../../src/schema/types.js';
import { signDocument } from '../../src/signing/jws.js';
import { auditText } from '../helpers/audit.js';
import { type CliResult, ROOT, runBin, tempDir } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, trustEachOther } from '../register/orgs.js';

/** An invented youth with a temporary identity code (individual number 987, control P). */
const HETU = '020506A987P';
/** The same with a wrong control character: still the youth's identifier. */
const HETU_BAD = '020506A987N';
const GIVEN = 'Zelmiina';
const FAMILY = 'Qvarnströmberg';
/** Values searched for, and forms they could take: JSON escapes, other normalisation. */
const NEEDLES = [HETU, HETU_BAD, '020506A987', GIVEN, FAMILY, 'Qvarnstr', FAMILY.normalize('NFD')];

let A: Org;
let B: Org;
let C: Org;
let work: string;
let outB: string;
const docs: Record<string, string> = {};

function youth(over: Partial<Handover['youth']> = {}): Handover['youth'] {
  return {
    name: { given: GIVEN, family: FAMILY },
    birthDate: '2006-05-02',
    personalIdentityCode: HETU,
    newMunicipalityCode: '091',
    ...over,
  };
}

beforeAll(async () => {
  expect(statSync(join(ROOT, 'dist', 'commands', 'import.js')).isFile(), 'run `npm run build` first').toBe(
    true,
  );
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  C = await makeOrg('Kolmas osapuoli', '1572860-0', '837');
  await trustEachOther(A, B);
  work = tempDir('handover-pd-');
  outB = tempDir('handover-pd-out-');

  const put = (name: string, text: string) => {
    docs[name] = join(work, name);
    writeFileSync(docs[name], text);
  };
  await as(A, async () => {
    const id = await loadSigningIdentity();
    const signed = async (d: Handover) => `${JSON.stringify(await signDocument(d, id), null, 2)}\n`;
    const good = await signed(handover(A, B, { youth: youth() }));
    put('good.json', good);
    put('tampered.json', good.replace('"2006-05-02"', '"2006-05-03"'));
    put('not-ours.json', await signed(handover(A, C, { youth: youth() })));
    // Rules that look at the youth: birth date against the code, an address outside the
    // consent scope, a language that is no ISO code (spelled as the family name).
    put(
      'invalid.json',
      await signed(
        handover(A, B, {
          youth: youth({
            birthDate: '2006-05-03',
            preferredLanguage: FAMILY,
            contact: { address: { street: `${FAMILY}ntie 1`, postalCode: '00100', city: 'Helsinki' } },
          }),
        }),
      ),
    );
    put('bad-hetu.json', await signed(handover(A, B, { youth: youth({ personalIdentityCode: HETU_BAD }) })));
    // Personal values typed into the wrong fields: a code field must not repeat them back.
    const misplaced = handover(A, B, { youth: youth({ newMunicipalityCode: HETU }) });
    misplaced.services = [
      { id: 's1', code: FAMILY, classification: 'basic', provider: 'recipient', payer: 'recipient' },
    ];
    put('misplaced.json', await signed(misplaced));
  });
  // A stray character right after the identity code: JSON.parse's message quotes its context.
  put('broken.json', readFileSync(d('good.json'), 'utf8').replace(`"${HETU}"`, `"${HETU}" x`));
  // A back-office draft that cannot be completed without asking: bad code, a name too long.
  put(
    'draft.json',
    JSON.stringify({
      type: 'aftercare',
      recipient: { organization: { name: B.name, businessId: B.businessId } },
      youth: { name: { given: GIVEN, family: FAMILY.repeat(40) }, personalIdentityCode: HETU_BAD },
      consent: { basis: 'consent', recordedBy: 'Sanna', scope: ['identity'] },
    }),
  );
}, 180_000);

interface Case {
  label: string;
  org: () => Org;
  args: () => string[];
  /** Exit codes that show the error path was taken. */
  exits: number[];
  /** The command exists to show the document: its stdout is not searched. */
  showsDocument?: boolean;
  /** Runs alone: imports of the same handover by two processes at once race for one receipt file. */
  alone?: boolean;
}

/** Output folders of commands that must write nothing on their error path. */
const scratch: string[] = [];
const emptyDir = (): string => {
  const dir = tempDir('handover-pd-none-');
  scratch.push(dir);
  return dir;
};

const bad = [
  'invalid.json',
  'bad-hetu.json',
  'broken.json',
  'tampered.json',
  'not-ours.json',
  'misplaced.json',
];
const d = (n: string) => docs[n] as string;

const CASES: Case[] = [
  ...(['human', 'json', 'junit', 'sarif'] as const).map(
    (format): Case => ({
      label: `validate --format ${format}`,
      org: () => B,
      args: () => ['validate', ...bad.map(d), '--verify-signatures', '--format', format],
      exits: [1],
    }),
  ),
  ...(['fi', 'sv'] as const).map(
    (lang): Case => ({
      label: `validate --lang ${lang}`,
      org: () => B,
      args: () => ['validate', ...bad.map(d), '--lang', lang],
      exits: [1],
    }),
  ),
  {
    label: 'show (stderr)',
    org: () => B,
    args: () => ['show', d('invalid.json')],
    exits: [0, 1],
    showsDocument: true,
  },
  { label: 'show broken', org: () => B, args: () => ['show', d('broken.json')], exits: [1] },
  { label: 'show broken --json', org: () => B, args: () => ['show', d('broken.json'), '--json'], exits: [1] },
  {
    label: 'new --answers bad draft',
    org: () => A,
    args: () => ['new', '--answers', d('draft.json'), '--no-interactive', '--out', emptyDir()],
    exits: [1],
  },
  {
    label: 'new --answers bad draft --json --lang fi',
    org: () => A,
    args: () => [
      'new',
      '--answers',
      d('draft.json'),
      '--no-interactive',
      '--out',
      emptyDir(),
      '--json',
      '--lang',
      'fi',
    ],
    exits: [1],
  },
  {
    label: 'new --answers broken',
    org: () => A,
    args: () => ['new', '--answers', d('broken.json'), '--no-interactive', '--out', emptyDir()],
    exits: [1],
  },
  ...bad.map(
    (f): Case => ({
      label: `import ${f}`,
      org: () => B,
      args: () => ['import', d(f), '--out', outB, '--json'],
      exits: [1],
      alone: true,
    }),
  ),
  {
    label: 'import several, human',
    org: () => B,
    args: () => ['import', ...bad.map(d), '--out', outB, '--lang', 'sv'],
    exits: [1],
    alone: true,
  },
  ...['invalid.json', 'broken.json', 'tampered.json', 'bad-hetu.json'].map(
    (f): Case => ({
      label: `letter ${f}`,
      org: () => A,
      args: () => ['letter', d(f), '--out', emptyDir()],
      exits: [1],
    }),
  ),
  {
    label: 'sign broken',
    org: () => A,
    args: () => ['sign', d('broken.json'), '-o', join(work, 'x.json')],
    exits: [1],
  },
  { label: 'verify tampered', org: () => B, args: () => ['verify', d('tampered.json')], exits: [1] },
  {
    label: 'verify tampered --json',
    org: () => B,
    args: () => ['verify', d('tampered.json'), '--json'],
    exits: [1],
  },
  { label: 'verify broken', org: () => B, args: () => ['verify', d('broken.json')], exits: [1] },
  {
    label: 'open with the wrong key',
    org: () => C,
    args: () => ['open', `${d('good.json')}.p7m`, '--out', emptyDir()],
    exits: [1, 4],
  },
  {
    label: 'open with the wrong key --json',
    org: () => A,
    args: () => ['open', `${d('good.json')}.p7m`, '--out', emptyDir(), '--json'],
    exits: [1, 4],
  },
];

const found = (text: string): string[] => {
  const lower = text.toLowerCase();
  return NEEDLES.filter((n) => lower.includes(n.toLowerCase()));
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) out.push(...walk(p));
  }
  return out;
}

describe('personal data on error paths', () => {
  const results: { c: Case; r: CliResult }[] = [];

  beforeAll(async () => {
    // The sealed file for the wrong-key cases: sealed for B, opened by C and by A.
    writeFileSync(join(work, 'b.pem'), B.certPem);
    const sealed = await runBin(['seal', d('good.json'), '--to', join(work, 'b.pem')], { env: A.env });
    expect(sealed.exitCode, sealed.stderr).toBe(0);
    // Two at a time: the machine is shared.
    for (let i = 0; i < CASES.length; ) {
      const two = CASES[i]?.alone || CASES[i + 1]?.alone ? 1 : 2;
      const batch = CASES.slice(i, i + two);
      i += two;
      const rs = await Promise.all(batch.map((c) => runBin(c.args(), { env: c.org().env })));
      rs.forEach((r, j) => {
        results.push({ c: batch[j] as Case, r });
      });
    }
  }, 240_000);

  it('every case took its error path, without a stack trace, and wrote nothing where it should not', () => {
    expect(scratch.length).toBeGreaterThanOrEqual(9);
    for (const dir of scratch) expect(readdirSync(dir), dir).toEqual([]);
    expect(results).toHaveLength(CASES.length);
    for (const { c, r } of results) {
      expect(c.exits, `${c.label}: exit ${r.exitCode}\n${r.stderr}`).toContain(r.exitCode);
      expect(r.stderr + r.stdout, c.label).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    }
  });

  it('the search finds the values where a command is meant to show them', () => {
    const shown = results.find(({ c }) => c.showsDocument);
    expect(found(shown?.r.stdout ?? '')).toEqual(expect.arrayContaining([GIVEN, FAMILY, 'Qvarnstr']));
  });

  it('no identity code or name in stdout or stderr', () => {
    const leaks = results.flatMap(({ c, r }) =>
      found(c.showsDocument ? r.stderr : r.stdout + r.stderr).map((n) => `${c.label}: ${n}`),
    );
    expect(leaks).toEqual([]);
  });

  it('none in the audit logs, registers or anything else under HANDOVER_HOME', () => {
    const leaks: string[] = [];
    for (const org of [A, B, C])
      for (const p of walk(org.home)) {
        for (const n of found(p.slice(org.home.length))) leaks.push(`name ${p}: ${n}`);
        if (statSync(p).isFile())
          for (const n of found(readFileSync(p, 'latin1') + readFileSync(p, 'utf8')))
            leaks.push(`${p}: ${n}`);
      }
    expect(leaks).toEqual([]);
    // The search had something to search: the imports were logged and registered.
    expect(auditText(B.home)).toContain('"event":"import"');
    expect(statSync(join(B.home, 'register.sqlite')).size).toBeGreaterThan(0);
  });

  it('none in the names of files written, nor in a receipt', () => {
    const leaks: string[] = [];
    const receipts = walk(outB).filter((p) => p.endsWith('.receipt.json'));
    // The rejected handovers that carry an id were answered with a signed rejection.
    expect(receipts.length).toBeGreaterThan(0);
    for (const p of receipts) for (const n of found(readFileSync(p, 'utf8'))) leaks.push(`${p}: ${n}`);
    for (const p of [...walk(outB), ...walk(work)])
      for (const n of found(p.slice(p.lastIndexOf('/') + 1))) leaks.push(`name ${p}: ${n}`);
    expect(leaks).toEqual([]);
  });
});

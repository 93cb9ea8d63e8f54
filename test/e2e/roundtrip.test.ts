/**
 * The full exchange between two organisations, each with its own HANDOVER_HOME, key and trust
 * store, through the real commands: send, import, receipt back, acknowledged, correction,
 * withdrawal. Then the registers are searched byte by byte for the youth's data.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Import from '../../src/commands/import.js';
import RegisterList from '../../src/commands/register/list.js';
import Withdraw from '../../src/commands/withdraw.js';
import { registerSent } from '../../src/register/sent.js';
import type { Receipt, Withdrawal } from '../../src/schema/types.js';
import type { ImportResult } from '../../src/services/import/index.js';
import type { RegisterListResult } from '../../src/services/register.js';
import type { WithdrawResult } from '../../src/services/withdraw.js';
import { verifyDocument } from '../../src/signing/jws.js';
import { auditText } from '../helpers/audit.js';
import { runCommand } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther, YOUTH } from '../register/orgs.js';

let A: Org;
let B: Org;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const json = <T>(s: string) => JSON.parse(s) as T;

async function send(from: Org, to: Org, over = {}) {
  const doc = handover(from, to, over);
  const file = await sendFile(from, doc);
  await as(from, () => registerSent(doc, sha(file), `${doc.id.slice(0, 8)}.handover.json`));
  return { doc, file };
}

async function statusOf(org: Org, id: string): Promise<string | undefined> {
  const r = await runCommand(RegisterList, ['--json'], org.env);
  return json<RegisterListResult>(r.stdout).entries.find((e) => e.id === id)?.status;
}

beforeAll(async () => {
  A = await makeOrg('Lähettävä hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Österbottens välfärdsområde', '2082259-7', '499');
  await trustEachOther(A, B);
});

describe('round trip between two organisations', () => {
  it('send → import → receipt back → acknowledged → withdrawal → withdrawn', async () => {
    const { doc, file } = await send(A, B);
    expect(await statusOf(A, doc.id)).toBe('sent');

    const imp = await runCommand(
      Import,
      [file, '--responsible', 'Maija Mallikas', '--responsible-email', 'maija.mallikas@example.fi', '--json'],
      B.env,
    );
    expect(imp.exitCode).toBe(0);
    const ir = json<ImportResult>(imp.stdout);
    expect(ir.files[0]).toMatchObject({ kind: 'handover', outcome: 'accepted', handoverId: doc.id });
    const receiptFile = ir.files[0]!.receiptFile!;
    expect(receiptFile.startsWith(B.dir)).toBe(true);
    const receipt = json<Receipt>(readFileSync(receiptFile, 'utf8'));
    expect(receipt.receiver.contact).toEqual({ name: 'Maija Mallikas', email: 'maija.mallikas@example.fi' });
    expect(await statusOf(B, doc.id)).toBe('accepted');

    // Importing the same file again changes nothing.
    const before = readdirSync(B.dir).sort();
    const again = await runCommand(Import, [file, '--json'], B.env);
    expect(again.exitCode).toBe(0);
    expect(json<ImportResult>(again.stdout).files[0]!.outcome).toBe('duplicate');
    expect(readdirSync(B.dir).sort()).toEqual(before);

    const back = await runCommand(Import, [receiptFile, '--lang', 'en'], A.env);
    expect(back.exitCode).toBe(0);
    expect(back.stdout).toContain('Österbottens välfärdsområde accepted handover');
    expect(back.stdout).toContain('Responsible worker: Maija Mallikas (maija.mallikas@example.fi)');
    expect(await statusOf(A, doc.id)).toBe('acknowledged');

    const w = await runCommand(
      Withdraw,
      [file, '--reason', 'Nuori peruutti suostumuksensa.', '--json'],
      A.env,
    );
    expect(w.exitCode).toBe(0);
    const wr = json<WithdrawResult>(w.stdout);
    expect(wr).toMatchObject({ handoverId: doc.id, already: false });
    const notice = json<Withdrawal>(readFileSync(wr.file, 'utf8'));
    expect(notice).toMatchObject({
      kind: 'withdrawal',
      handoverId: doc.id,
      reason: 'Nuori peruutti suostumuksensa.',
    });
    expect((await as(B, () => verifyDocument(notice))).status).toBe('valid');
    expect(await statusOf(A, doc.id)).toBe('withdrawn');
    // Withdrawing again finds the notice and registers nothing new.
    const w2 = await runCommand(Withdraw, [file, '--reason', 'x', '--json'], A.env);
    expect(json<WithdrawResult>(w2.stdout)).toMatchObject({ already: true, withdrawalId: notice.id });

    const wi = await runCommand(Import, [wr.file, '--lang', 'fi'], B.env);
    expect(wi.exitCode).toBe(0);
    expect(wi.stdout).toContain(`peruutti siirron ${doc.id}; merkitty peruutetuksi`);
    expect(await statusOf(B, doc.id)).toBe('withdrawn');
  });

  it('a correction with supersedes links the two handovers on both sides', async () => {
    const first = await send(A, B);
    await runCommand(Import, [first.file, '--json'], B.env);
    const second = await send(A, B, { supersedes: first.doc.id });
    const imp = await runCommand(Import, [second.file, '--json'], B.env);
    expect(imp.exitCode).toBe(0);
    for (const org of [A, B]) {
      const list = json<RegisterListResult>(
        (await runCommand(RegisterList, ['--json'], org.env)).stdout,
      ).entries;
      expect(list.find((e) => e.id === first.doc.id)).toMatchObject({
        status: 'superseded',
        supersededBy: second.doc.id,
      });
      expect(list.find((e) => e.id === second.doc.id)).toMatchObject({ supersedes: first.doc.id });
    }
  });

  it('a withdrawal from another organisation than the sender is rejected', async () => {
    const { file } = await send(A, B);
    await runCommand(Import, [file, '--json'], B.env);
    // B pretends to withdraw A's handover: B's register knows it only as received.
    const w = await runCommand(Withdraw, [file, '--reason', 'x', '--json'], B.env);
    expect(w.exitCode).toBe(1);
    expect(json<{ error: { code: string } }>(w.stdout).error.code).toBe('NOT_OUR_HANDOVER');
  });

  it('the registers hold neither the identity code nor the name of the youth', async () => {
    const { file } = await send(A, B);
    await runCommand(Import, [file, '--json'], B.env);
    // The handover itself carries both: the search below would find them if they were copied.
    const handoverBytes = readFileSync(file);
    expect(handoverBytes.includes(Buffer.from(YOUTH.hetu))).toBe(true);
    for (const org of [A, B]) {
      const files = readdirSync(org.home).filter((f) => f.startsWith('register.sqlite'));
      expect(files).toContain('register.sqlite');
      const bytes = Buffer.concat(files.map((f) => readFileSync(join(org.home, f))));
      // Positive control: the organisation names are there, so the bytes are the register's.
      expect(bytes.includes(Buffer.from(B.name))).toBe(true);
      for (const secret of [YOUTH.hetu, YOUTH.given, YOUTH.family, '2006-05-02']) {
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${org.name}'s register`).toBe(false);
      }
      const audit = Buffer.from(auditText(org.home));
      expect(audit.includes(Buffer.from(YOUTH.hetu))).toBe(false);
      expect(audit.includes(Buffer.from(YOUTH.family))).toBe(false);
    }
  });
});

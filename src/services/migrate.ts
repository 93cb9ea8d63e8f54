/**
 * `handover register migrate --to <url>` (SPEC §11): copies a worker's SQLite register, trust
 * store, audit chain and the organisation's profile into the office's PostgreSQL database,
 * then verifies the copy. The SQLite file is read without changing its rows (a register of an
 * older version is brought up to date first, as any command would). Run once per
 * worker into the same database: rows merge by id (a different row under the same id is a
 * conflict, reported and never overwritten), and each worker's audit log becomes a chain of
 * its own, verified end to end after the copy. Running it again copies nothing twice.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { type Config, loadLocalConfig, sharedPart } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { auditPath } from '../register/audit.js';
import { osUser } from '../register/audit-types.js';
import { verifyAuditChain, verifyAuditText } from '../register/audit-verify.js';
import { officeRegister } from '../register/index.js';
import type { RegisterRows } from '../register/repository.js';
import { registerPath, SqliteRegister } from '../register/sqlite.js';
import { loadDirectorySigners, loadImportedDirectory } from '../signing/directory.js';
import { loadCrlFiles, loadTrustFiles } from '../signing/trust.js';

export interface MigrateCount {
  copied: number;
  already: number;
}

export interface MigrateConflict {
  table: 'handovers' | 'receipts' | 'withdrawals' | 'trust' | 'profile';
  id: string;
}

export interface MigrateResult {
  from: string;
  to: string;
  handovers: MigrateCount;
  receipts: MigrateCount;
  withdrawals: MigrateCount;
  trust: MigrateCount;
  crls: MigrateCount;
  profile: 'copied' | 'same' | 'kept' | 'none';
  audit: { chain: string; lines: number; head: string; copied: boolean; verified: boolean };
  /** Events of the log of use and disclosure copied (or already there), and the secrets they are keyed under. */
  disclosureLog: { events: number; secrets: number };
  /** Directory signers copied, and the sequence of the partner directory copied (null: none, or the office's was as new). */
  directory: { signers: number; sequence: number | null };
  conflicts: MigrateConflict[];
}

/** Copies rows that are not there yet; an equal row is already there; another row under the id is a conflict. */
async function merge<T extends { id: string }>(
  rows: readonly T[],
  existing: (r: T) => Promise<T | undefined>,
  same: (a: T, b: T) => boolean,
  put: (r: T) => Promise<void>,
  table: MigrateConflict['table'],
  conflicts: MigrateConflict[],
): Promise<MigrateCount> {
  const n: MigrateCount = { copied: 0, already: 0 };
  for (const r of rows) {
    const there = await existing(r);
    if (!there) {
      await put(r);
      n.copied++;
    } else if (same(there, r)) n.already++;
    else conflicts.push({ table, id: 'direction' in r ? `${r.id} (${String(r.direction)})` : r.id });
  }
  return n;
}

const failCopy = (what: string): HandoverError =>
  new HandoverError('REGISTER_MIGRATE_UNVERIFIED', EXIT.invalid, {
    key: 'register.REGISTER_MIGRATE_UNVERIFIED',
    vars: { what },
  });

/** No trust store, CRL, own profile or audit log in this home either. */
function nothingElseHere(): boolean {
  let profile: Config = {};
  try {
    profile = sharedPart(loadLocalConfig());
  } catch {}
  // The audit chain lives in the register (absent here); an old home may still have its log file.
  return (
    loadTrustFiles().length === 0 &&
    loadDirectorySigners().length === 0 &&
    loadImportedDirectory() === undefined &&
    loadCrlFiles().length === 0 &&
    Object.keys(profile).length === 0 &&
    !existsSync(auditPath())
  );
}

export async function migrateRegister(opts: { to: string; from?: string }): Promise<MigrateResult> {
  const from = opts.from ?? registerPath();
  // A home with nothing in it (the wrong HANDOVER_HOME, or a worker who never used handover
  // here) copies nothing: refused before the office is touched, so no empty chain and no
  // "migrated" entry are recorded for it.
  if (!existsSync(from) && nothingElseHere())
    throw new HandoverError('NOTHING_TO_MIGRATE', EXIT.usage, {
      key: 'register.NOTHING_TO_MIGRATE',
      vars: { from },
    });
  // A register of an older version is brought up to date first (its rows unchanged; an old
  // audit.log copied in), then read without changing it.
  if (existsSync(from)) await SqliteRegister.open(from).close();
  const source = existsSync(from) ? SqliteRegister.openReadOnly(from) : undefined;
  const office = await officeRegister(opts.to);
  const conflicts: MigrateConflict[] = [];
  try {
    const handovers = (await source?.list()) ?? [];
    const receipts = (await source?.receipts()) ?? [];
    const withdrawals = (await source?.withdrawals()) ?? [];
    // The rows in one transaction: a failure copies none of them.
    const counts = await office.transaction(async (tx: RegisterRows) => ({
      handovers: await merge(
        handovers,
        (r) => tx.getHandover(r.id, r.direction),
        (a, b) => a.sha256 === b.sha256,
        (r) => tx.putHandover(r),
        'handovers',
        conflicts,
      ),
      receipts: await merge(
        receipts,
        (r) => tx.getReceipt(r.id),
        (a, b) =>
          a.handoverSha256 === b.handoverSha256 && a.outcome === b.outcome && a.direction === b.direction,
        (r) => tx.putReceipt(r),
        'receipts',
        conflicts,
      ),
      withdrawals: await merge(
        withdrawals,
        (r) => tx.getWithdrawal(r.id),
        (a, b) => a.handoverId === b.handoverId && a.withdrawnAt === b.withdrawnAt,
        (r) => tx.putWithdrawal(r),
        'withdrawals',
        conflicts,
      ),
    }));

    // The log of use and disclosure (SPEC §12) with the secrets it was keyed under: the office
    // then answers a youth's request for this worker's disclosures too. Events merge by id.
    const secrets = (await source?.youthSecrets(false)) ?? [];
    await office.addYouthSecrets(secrets);
    const events = (await source?.eventsBefore('9999-12-31T23:59:59.999Z')) ?? [];
    await office.transaction(async (tx) => {
      for (const e of events) await tx.putEvent(e);
    });

    // The trust store: by fingerprint; a name another certificate took gets the fingerprint's tail.
    const officeTrust = await office.trustRows();
    const trust: MigrateCount = { copied: 0, already: 0 };
    for (const e of loadTrustFiles()) {
      if (officeTrust.some((t) => t.fingerprint256 === e.fingerprint256)) {
        trust.already++;
        continue;
      }
      const taken = officeTrust.some((t) => t.name === e.name);
      const name = taken
        ? `${e.name.slice(0, 50)}-${e.fingerprint256.replace(/:/g, '').slice(-8).toLowerCase()}`
        : e.name;
      await office.addTrustRow({
        fingerprint256: e.fingerprint256,
        name,
        pem: e.pem,
        businessId: e.businessId ?? null,
        addedAt: new Date().toISOString(),
      });
      trust.copied++;
    }
    const crls: MigrateCount = { copied: 0, already: 0 };
    for (const c of loadCrlFiles()) {
      const sha = createHash('sha256').update(c.der).digest('hex');
      if (await office.addCrlRow(sha, c.der)) crls.copied++;
      else crls.already++;
    }

    // The partner directory (SPEC §13): its signers by fingerprint, and the directory itself
    // when the office has none or an older sequence (a newer one of the office's is kept).
    const directory = { signers: 0, sequence: null as number | null };
    for (const signer of loadDirectorySigners())
      if (
        await office.addDirectorySignerRow({
          fingerprint256: signer.cert.fingerprint256,
          name: signer.name,
          pem: signer.cert.toString(),
          businessId: signer.businessId ?? null,
          addedAt: new Date().toISOString(),
        })
      )
        directory.signers++;
    const ours = loadImportedDirectory();
    if (ours && (await office.setDirectoryIfNewer(ours.sequence, JSON.stringify(ours), osUser())))
      directory.sequence = ours.sequence;

    // The profile: copied into an office that has none; an office's own is never overwritten.
    let local: Config = {};
    try {
      local = sharedPart(loadLocalConfig());
    } catch {}
    const theirs = await office.profile();
    let profile: MigrateResult['profile'] = 'none';
    if (Object.keys(local).length > 0) {
      if (!theirs || Object.keys(theirs).length === 0) {
        await office.setProfile(local as Record<string, unknown>, osUser());
        profile = 'copied';
      } else if (JSON.stringify(theirs) === JSON.stringify(local)) profile = 'same';
      else {
        profile = 'kept';
        if (JSON.stringify(theirs.organization) !== JSON.stringify(local.organization))
          conflicts.push({ table: 'profile', id: 'organization' });
      }
    }

    // The audit chain, as a chain of its own named after the worker and the chain's first line,
    // checked against the head the worker's register kept.
    const [own] = (await source?.auditChains()) ?? [];
    const text = own?.text ?? '';
    const lines = text.split('\n').filter((l) => l !== '');
    const before = verifyAuditChain(text, own?.head);
    const chain = `worker:${osUser()}@${hostname()}:${createHash('sha256')
      .update(lines[0] ?? '')
      .digest('hex')
      .slice(0, 12)}`;
    const stored = (await office.auditChains()).find((c) => c.name === chain);
    let copied = false;
    if (lines.length > 0 && !stored) {
      await office.importAuditChain(chain, lines, own?.head);
      copied = true;
    }

    // Verify the copy: every row there with its content, every certificate, the chain end to end.
    for (const r of handovers) {
      const there = await office.getHandover(r.id, r.direction);
      if (!there) throw failCopy(`handover ${r.id}`);
    }
    for (const r of receipts) if (!(await office.getReceipt(r.id))) throw failCopy(`receipt ${r.id}`);
    for (const r of withdrawals)
      if (!(await office.getWithdrawal(r.id))) throw failCopy(`withdrawal ${r.id}`);
    const trusted = new Set((await office.trustRows()).map((t) => t.fingerprint256));
    for (const e of loadTrustFiles())
      if (!trusted.has(e.fingerprint256)) throw failCopy(`certificate ${e.name}`);
    let verified = true;
    if (lines.length > 0) {
      const copy = (await office.auditChains()).find((c) => c.name === chain);
      const v = copy ? verifyAuditText(copy.text) : undefined;
      // The same lines, byte for byte, and a chain as whole as the file's was.
      verified = copy !== undefined && copy.text === `${lines.join('\n')}\n` && v!.head === before.head;
      if (!verified || (before.ok && !v!.ok)) throw failCopy(`audit chain ${chain}`);
    }
    const result: MigrateResult = {
      from: source ? from : `${from} (none)`,
      to: office.location,
      ...counts,
      trust,
      crls,
      profile,
      audit: { chain, lines: lines.length, head: before.head, copied, verified },
      disclosureLog: { events: events.length, secrets: secrets.length },
      directory,
      conflicts,
    };
    await office.appendAudit([
      {
        event: 'migrate',
        outcome: conflicts.length ? 'failed' : 'ok',
        detail: `${chain}:rows=${counts.handovers.copied}/${handovers.length}:conflicts=${conflicts.length}`,
      },
    ]);
    return result;
  } finally {
    await source?.close();
  }
}

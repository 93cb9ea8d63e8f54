/**
 * Which register a command uses (SPEC §11): the worker's own SQLite file, or, when
 * `register.url` / HANDOVER_DATABASE_URL names one, the office's PostgreSQL database, opened
 * once per process and shared by every service of the command. Also the one way to append an
 * audit entry on its own, and the office's shared profile and trust store read once at the start.
 */
import { existsSync } from 'node:fs';
import { type Config, registerUrl, setSharedProfile } from '../config/store.js';
import type { Handover } from '../schema/types.js';
import { setSharedTrust } from '../signing/trust.js';
import type { AuditEntry, AuditInput } from './audit-types.js';
import { keyableYouth, logUse } from './disclosures.js';
import { PostgresRegister } from './postgres.js';
import type { Register } from './repository.js';
import { registerPath, SqliteRegister } from './sqlite.js';

export { redactUrl } from './postgres.js';
export type { PendingFile, Register, RegisterTx } from './repository.js';
export {
  type Direction,
  HANDOVER_STATUSES,
  type HandoverRow,
  type HandoverStatus,
  isHandoverStatus,
  type Reason,
  type ReceiptRow,
  type WithdrawalRow,
} from './rows.js';
export { registerPath } from './sqlite.js';

const offices = new Map<string, Promise<PostgresRegister>>();

/** The office's database, opened (and migrated, and reconciled) once per process. */
export function officeRegister(url: string): Promise<PostgresRegister> {
  let p = offices.get(url);
  if (!p) {
    p = PostgresRegister.open(url).then(async (reg) => {
      await reg.reconcile();
      return reg;
    });
    offices.set(url, p);
    // A failed open is not kept: the next command (or test) tries again.
    p.catch(() => offices.delete(url));
  }
  return p;
}

/**
 * The register this worker uses. `file` opens a particular SQLite file (a dry run's
 * `:memory:`, a migration's source). Close it when done; an office's connection pool stays
 * until shutdownRegisters().
 */
export async function openRegister(opts: { file?: string; dryRun?: boolean } = {}): Promise<Register> {
  const url = opts.file === undefined ? registerUrl() : undefined;
  if (url) return officeRegister(url);
  const reg = SqliteRegister.open(opts.file);
  try {
    // A dry run writes nothing, not even what a killed import left to settle.
    if (!opts.dryRun) await reg.reconcile();
  } catch (e) {
    await reg.close();
    throw e;
  }
  return reg;
}

/** Whether a register exists already (an office always has one). */
export const registerExists = (): boolean => registerUrl() !== undefined || existsSync(registerPath());

/** Ends the office's connections: the end of a command, or of a test. */
export async function shutdownRegisters(): Promise<void> {
  const all = [...offices.values()];
  offices.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.shutdown()));
}

/**
 * Appends audit entries (SPEC §10) to the register's chain, under its lock: the office's, or the
 * worker's SQLite register (created for it when keys and trust come before the first handover).
 */
export async function appendAudit(
  input: AuditInput | readonly AuditInput[],
  now: Date = new Date(),
): Promise<AuditEntry[]> {
  const inputs = Array.isArray(input) ? (input as readonly AuditInput[]) : [input as AuditInput];
  if (inputs.length === 0) return [];
  const url = registerUrl();
  if (url) return (await officeRegister(url)).appendAudit(inputs, now);
  const reg = SqliteRegister.open(registerPath());
  try {
    return await reg.appendAudit(inputs, now);
  } finally {
    await reg.close();
  }
}

/**
 * Logs uses of a handover file (a letter or copy made, `show`) in the log of use and
 * disclosure (SPEC §12), under the youth it is about; in the office's database or the worker's
 * register (created for it, as for an audit entry). A file without a youth member logs nothing.
 */
export async function logDocumentUse(
  doc: Handover,
  actions: readonly ('letter' | 'youth-copy' | 'show')[],
  sha256: string,
): Promise<void> {
  if (actions.length === 0 || !keyableYouth(doc.youth)) return;
  const url = registerUrl();
  const reg = url ? await officeRegister(url) : SqliteRegister.open(registerPath());
  try {
    for (const action of actions) await logUse(reg, doc, action, sha256);
  } finally {
    await reg.close();
  }
}

/**
 * Reads the office's shared profile and trust store once, before a command runs, so that
 * the synchronous readers (loadConfig, loadTrust) see the office's and not a stale local
 * copy. A database that cannot be reached is remembered, and the first reader that needs the
 * office reports it (exit 4); commands that need nothing of it still run.
 */
export async function loadOffice(): Promise<void> {
  const url = registerUrl();
  if (!url) return;
  try {
    const reg = await officeRegister(url);
    const [profile, certs, crls, signers, directory] = await Promise.all([
      reg.profile(),
      reg.trustRows(),
      reg.crlRows(),
      reg.directorySignerRows(),
      reg.directoryDocument(),
    ]);
    setSharedProfile(url, (profile ?? {}) as Config);
    setSharedTrust(url, {
      certs,
      crls: crls.map((c) => c.der),
      directorySigners: signers,
      ...(directory !== undefined ? { directory } : {}),
    });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    setSharedProfile(url, err);
    setSharedTrust(url, err);
  }
}

/**
 * The audit chain (SPEC §10): one JSON entry per event, each carrying the SHA-256 of the entry
 * before it, kept in the register (a table of the worker's SQLite file or of the office's
 * database, appended under the register's lock: repository.ts). Metadata only: ids, hashes,
 * outcome; never a name or identity code. `audit.log` under HANDOVER_HOME is where a register
 * made before the chain moved into it kept the chain: its first open copies it in.
 */
import { homePath } from '../core/paths.js';

export {
  AUDIT_EVENTS,
  type AuditEntry,
  type AuditEvent,
  type AuditInput,
  GENESIS,
  lineHash,
} from './audit-types.js';

/** The old log file (copied into the register on its first open), or one given to `audit`. */
export const auditPath = (): string => homePath('audit.log');

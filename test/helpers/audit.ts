/**
 * A worker's audit chain as it lies in the register file, read and edited straight through
 * better-sqlite3: as someone with the sqlite3 tool would, never through the program's own code.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { lineHash } from '../../src/register/audit-types.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

function withDb<T>(home: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new Database(join(home, 'register.sqlite'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The lines of the worker's chain, in order. */
export const auditLines = (home: string): string[] =>
  withDb(home, (db) =>
    (
      db.prepare("SELECT line FROM audit_entries WHERE chain = 'local' ORDER BY seq").all() as {
        line: string;
      }[]
    ).map((r) => r.line),
  );

/** The head the register keeps for the worker's chain. */
export const auditHead = (home: string): { hash: string; count: number } | undefined =>
  withDb(
    home,
    (db) =>
      db.prepare("SELECT hash, count FROM audit_head WHERE chain = 'local'").get() as
        | { hash: string; count: number }
        | undefined,
  );

/**
 * Replaces the chain's lines by hand. `head`: 'keep' leaves the register's head as it was (the
 * attacker forgot it), 'delete' removes it too.
 */
export function rewriteAuditLines(
  home: string,
  lines: readonly string[],
  head: 'keep' | 'delete' = 'keep',
): void {
  withDb(home, (db) => {
    db.transaction(() => {
      db.prepare("DELETE FROM audit_entries WHERE chain = 'local'").run();
      const put = db.prepare("INSERT INTO audit_entries (chain, seq, line, hash) VALUES ('local', ?, ?, ?)");
      lines.forEach((l, i) => {
        put.run(i + 1, l, lineHash(l));
      });
      if (head === 'delete') db.prepare("DELETE FROM audit_head WHERE chain = 'local'").run();
    })();
  });
}

/** The worker's chain as the text of a log, one line per entry (for the text verifier and searches). */
export const auditText = (home: string): string => {
  const lines = auditLines(home);
  return lines.length ? `${lines.join('\n')}\n` : '';
};

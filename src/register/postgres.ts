/**
 * The office's register (SPEC §11): a PostgreSQL database (14 or newer) that every worker of
 * the organisation shares, holding the register's rows, the audit chain, the trust store and
 * the organisation's profile. Plain versioned SQL migrations (templates/sql/postgres/) are
 * applied on first use under an advisory lock, so that two workers starting at once apply
 * each exactly once.
 *
 * Concurrency as an office has it: a transaction first takes an advisory lock per handover id
 * it decides about (in one order, so that two workers never deadlock on each other), then
 * reads, decides and writes; the audit entries it carries are chained under one more lock at
 * its end and commit with its rows, so the chain never forks and never disagrees with them.
 * A serialization failure or a deadlock the server reports runs the transaction again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { EXIT, HandoverError } from '../errors.js';
import { templatesDir } from '../paths.js';
import { type AuditEntry, type AuditInput, chainEntries, lineHash } from './audit-types.js';
import { reconcilePending } from './pending.js';
import {
  type AuditChain,
  type Exec,
  type Register,
  type RegisterTx,
  SqlRows,
  type TransactionOptions,
} from './repository.js';
import type { Row } from './rows.js';

/** Advisory lock classes of this product (the first of pg_advisory_xact_lock's two keys). */
const LOCK_HANDOVER = 0x4856; // "HV"
const LOCK_AUDIT = 0x4857;
const LOCK_MIGRATE = 0x4858;
/** The live audit chain of the office. */
export const OFFICE_CHAIN = 'office';
const RETRY_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 20;

/** The URL as it may be shown: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The bundled migrations, `NNN-name.sql`, in order. */
export function pgMigrations(): Migration[] {
  const dir = join(templatesDir(), 'sql', 'postgres');
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/** The server or the network, not the statement: connection refused, lost, or the server shutting down. */
const isConnectionError = (e: unknown): boolean => {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string') return /^(08|57P|53)/.test(code) || /^E[A-Z]+$/.test(code);
  return e instanceof Error && /Connection terminated|connection timeout/i.test(e.message);
};

/**
 * Why the office's database cannot be used, in words a worker can act on: a message of its own
 * for each case, never the server's SQLSTATE ("3D000", "28P01") or the socket's error code.
 */
function whyUnavailable(cause: unknown): string {
  const code = String((cause as { code?: unknown })?.code ?? '');
  if (code === '3D000') return 'NO_DATABASE';
  if (code === '28000' || code === '28P01') return 'AUTH';
  if (code === 'ECONNREFUSED') return 'REFUSED';
  if (/^(ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)$/.test(code)) return 'UNREACHABLE';
  if (/^(08|57P)/.test(code) || /Connection terminated|timeout/i.test(String((cause as Error)?.message)))
    return 'LOST';
  return 'OTHER';
}

const unavailable = (cause: unknown, location: string): HandoverError => {
  const why = whyUnavailable(cause);
  return new HandoverError('REGISTER_UNAVAILABLE', EXIT.environment, {
    key: why === 'OTHER' ? 'register.DATABASE_UNAVAILABLE' : `register.DATABASE_${why}`,
    vars: {
      file: location,
      reason: String((cause as { code?: unknown })?.code ?? (cause as Error)?.message ?? cause).slice(0, 200),
    },
    cause,
  });
};

class PgExec implements Exec {
  constructor(
    private readonly q: Pool | PoolClient,
    private readonly location: string,
  ) {}
  private async query(sql: string, params: readonly unknown[]) {
    try {
      return await this.q.query(sql, params as unknown[]);
    } catch (e) {
      // A server gone mid-command is the environment (exit 4), never a stack trace.
      if (isConnectionError(e)) throw unavailable(e, this.location);
      throw e;
    }
  }
  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.query(sql, params)).rows as Row[];
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}

export interface TrustRow {
  fingerprint256: string;
  name: string;
  pem: string;
  businessId: string | null;
  addedAt: string;
}

export class PostgresRegister extends SqlRows implements Register {
  readonly backend = 'postgres' as const;
  readonly location: string;

  private constructor(
    private readonly pool: Pool,
    url: string,
  ) {
    super(new PgExec(pool, redactUrl(url)));
    this.location = redactUrl(url);
  }

  /** Connects and migrates; exit 4 naming the database when it cannot be reached. */
  static async open(url: string): Promise<PostgresRegister> {
    // Another database's address (mysql://, sqlite://…) is not tried as if it were PostgreSQL.
    if (!/^postgres(ql)?:\/\//i.test(url))
      throw new HandoverError('DATABASE_URL_UNSUPPORTED', EXIT.environment, {
        key: 'register.DATABASE_URL_UNSUPPORTED',
        vars: { scheme: (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '').slice(0, 20) },
      });
    let pg: typeof import('pg');
    try {
      pg = createRequire(import.meta.url)('pg') as typeof import('pg');
    } catch (e) {
      throw unavailable(e, redactUrl(url));
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      // A command ends when its work is done: idle connections do not keep it alive.
      allowExitOnIdle: true,
      // Fails fast, never hangs (SPEC §3, exit 4).
      connectionTimeoutMillis: 5_000,
      application_name: 'handover',
    });
    // An idle client that the server drops must not crash the process.
    pool.on('error', () => undefined);
    const reg = new PostgresRegister(pool, url);
    try {
      await reg.migrate();
    } catch (e) {
      await pool.end().catch(() => undefined);
      if (e instanceof HandoverError) throw e;
      throw unavailable(e, reg.location);
    }
    return reg;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_MIGRATE]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const done = new Set(
        (await client.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)),
      );
      const known = pgMigrations();
      const newest = Math.max(0, ...done);
      if (newest > (known.at(-1)?.version ?? 0))
        throw new HandoverError('REGISTER_TOO_NEW', EXIT.environment, {
          key: 'register.REGISTER_TOO_NEW',
          vars: { version: newest, supported: known.at(-1)?.version ?? 0 },
        });
      for (const m of known) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** The migrations applied, newest last (`register migrate` reports them). */
  async schemaVersion(): Promise<number> {
    const [r] = await this.exec.all('SELECT max(version) AS v FROM schema_migrations');
    return Number(r?.v ?? 0);
  }

  /** The pool lives for the whole command (several services share it): shutdown() ends it. */
  async close(): Promise<void> {}

  async shutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  async reconcile(): Promise<void> {
    await reconcilePending(this, hostname());
  }

  /** Commits in PostgreSQL are durable when COMMIT returns. */
  async syncCommitted(): Promise<void> {}

  async transaction<T>(fn: (tx: RegisterTx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const keys = [...new Set(opts.lock ?? [])].sort();
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        throw unavailable(e, this.location);
      }
      const queued: AuditInput[] = [];
      let savepoints = 0;
      const exec = new PgExec(client, this.location);
      const tx: RegisterTx = Object.assign(new SqlRows(exec), {
        audit: (input: AuditInput) => {
          queued.push(input);
        },
        savepoint: async <S>(inner: () => Promise<S>): Promise<S> => {
          const name = `sp${++savepoints}`;
          await client.query(`SAVEPOINT ${name}`);
          const mark = queued.length;
          try {
            const r = await inner();
            await client.query(`RELEASE SAVEPOINT ${name}`);
            return r;
          } catch (e) {
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            queued.length = mark;
            throw e;
          }
        },
      });
      try {
        await client.query('BEGIN');
        // One round trip: unnest keeps the array's (sorted) order, in which the locks are taken.
        if (keys.length > 0)
          await client.query('SELECT pg_advisory_xact_lock($1, hashtext(k)) FROM unnest($2::text[]) AS k', [
            LOCK_HANDOVER,
            keys,
          ]);
        const result = await fn(tx);
        if (queued.length > 0) await this.writeAudit(client, queued, new Date());
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        const code = (e as { code?: string }).code;
        if (code && RETRY_CODES.has(code) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
          continue;
        }
        if (isConnectionError(e)) throw unavailable(e, this.location);
        throw e;
      }
    }
  }

  /** Chains entries after the office chain's head, under the audit lock, in the caller's transaction. */
  private async writeAudit(
    client: PoolClient,
    inputs: readonly AuditInput[],
    now: Date,
  ): Promise<AuditEntry[]> {
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_AUDIT]);
    const head = (await client.query('SELECT hash, count FROM audit_head WHERE chain = $1', [OFFICE_CHAIN]))
      .rows[0] as { hash: string; count: string } | undefined;
    const { entries, lines } = chainEntries(
      inputs,
      head ? { hash: head.hash, seq: Number(head.count) } : undefined,
      now,
    );
    await this.insertLines(client, OFFICE_CHAIN, entries[0]!.seq, lines);
    return entries;
  }

  /** Inserts lines of one chain from `firstSeq` on and moves its head. */
  private async insertLines(client: PoolClient, chain: string, firstSeq: number, lines: readonly string[]) {
    for (let i = 0; i < lines.length; i += 500) {
      const part = lines.slice(i, i + 500);
      const values: unknown[] = [];
      const tuples = part.map((line, j) => {
        values.push(chain, firstSeq + i + j, line, lineHash(line));
        const b = j * 4;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4})`;
      });
      await client.query(
        `INSERT INTO audit_entries (chain, seq, line, hash) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    const last = lines[lines.length - 1]!;
    await client.query(
      `INSERT INTO audit_head (chain, hash, count) VALUES ($1, $2, $3)
       ON CONFLICT (chain) DO UPDATE SET hash = excluded.hash, count = excluded.count`,
      [chain, lineHash(last), firstSeq + lines.length - 1],
    );
  }

  async appendAudit(inputs: readonly AuditInput[], now: Date = new Date()): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return this.withClient(async (client) => this.writeAudit(client, inputs, now));
  }

  /**
   * Copies a worker's audit log as a chain of its own (`register migrate`): its lines byte for
   * byte, so that the copy verifies exactly as the file did. Refuses a name already used.
   */
  async importAuditChain(chain: string, lines: readonly string[], client?: PoolClient): Promise<void> {
    if (lines.length === 0) return;
    // Stored in file order: a line's number is its place, whatever `seq` it claims, so that a
    // damaged log is copied as it is and verified as it was.
    const run = (c: PoolClient) => this.insertLines(c, chain, 1, lines);
    if (client) await run(client);
    else await this.withClient(run);
  }

  async auditChains(): Promise<AuditChain[]> {
    const lines = await this.exec.all('SELECT chain, line FROM audit_entries ORDER BY chain, seq');
    const heads = await this.exec.all('SELECT chain, hash, count FROM audit_head');
    const byChain = new Map<string, string[]>();
    for (const r of lines) {
      const c = String(r.chain);
      if (!byChain.has(c)) byChain.set(c, []);
      byChain.get(c)!.push(String(r.line));
    }
    for (const h of heads) if (!byChain.has(String(h.chain))) byChain.set(String(h.chain), []);
    const names = [...byChain.keys()].sort((a, b) =>
      a === OFFICE_CHAIN ? -1 : b === OFFICE_CHAIN ? 1 : a.localeCompare(b),
    );
    if (!names.includes(OFFICE_CHAIN)) names.unshift(OFFICE_CHAIN);
    return names.map((name) => {
      const h = heads.find((x) => String(x.chain) === name);
      const ls = byChain.get(name) ?? [];
      return {
        name,
        text: ls.length ? `${ls.join('\n')}\n` : '',
        ...(h ? { head: { hash: String(h.hash), count: Number(h.count) } } : {}),
      };
    });
  }

  /** Runs `fn` with one connection in a transaction of its own (no retry: callers are idempotent). */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw unavailable(e, this.location);
    }
    try {
      await client.query('BEGIN');
      const r = await fn(client);
      await client.query('COMMIT');
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (isConnectionError(e)) throw unavailable(e, this.location);
      throw e;
    } finally {
      client.release();
    }
  }

  // The trust store and the profile (SPEC §11): read once per command, written rarely.

  async trustRows(): Promise<TrustRow[]> {
    return (await this.exec.all('SELECT * FROM trust_certificates ORDER BY name')).map((r) => ({
      fingerprint256: String(r.fingerprint256),
      name: String(r.name),
      pem: String(r.pem),
      businessId: r.business_id === null ? null : String(r.business_id),
      addedAt: String(r.added_at),
    }));
  }

  /** false when a certificate with this fingerprint is already trusted; throws on a taken name. */
  async addTrustRow(row: TrustRow): Promise<boolean> {
    try {
      return (
        (await this.exec.run(
          `INSERT INTO trust_certificates (fingerprint256, name, pem, business_id, added_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (fingerprint256) DO NOTHING`,
          [row.fingerprint256, row.name, row.pem, row.businessId, row.addedAt],
        )) > 0
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new HandoverError('TRUST_NAME_EXISTS', EXIT.usage, {
          key: 'trust.TRUST_NAME_EXISTS',
          vars: { name: row.name },
        });
      throw e;
    }
  }

  async removeTrustRow(fingerprint256: string): Promise<boolean> {
    return (
      (await this.exec.run('DELETE FROM trust_certificates WHERE fingerprint256 = $1', [fingerprint256])) > 0
    );
  }

  async crlRows(): Promise<{ sha256: string; der: Uint8Array }[]> {
    return (await this.exec.all('SELECT sha256, der FROM trust_crls ORDER BY sha256')).map((r) => ({
      sha256: String(r.sha256),
      der: new Uint8Array(r.der as Buffer),
    }));
  }

  async addCrlRow(sha256: string, der: Uint8Array): Promise<boolean> {
    return (
      (await this.exec.run(
        'INSERT INTO trust_crls (sha256, der, added_at) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING',
        [sha256, Buffer.from(der), new Date().toISOString()],
      )) > 0
    );
  }

  async profile(): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.exec.all('SELECT profile FROM org_profile WHERE id = 1');
    return r ? (JSON.parse(String(r.profile)) as Record<string, unknown>) : undefined;
  }

  async setProfile(profile: Record<string, unknown>, user: string): Promise<void> {
    await this.exec.run(
      `INSERT INTO org_profile (id, profile, updated_at, updated_by) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
      [JSON.stringify(profile), new Date().toISOString(), user],
    );
  }
}

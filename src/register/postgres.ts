/**
 * The office's register (SPEC §11): a PostgreSQL database (14 or newer) that every worker of
 * the organisation shares, holding the register's rows, the audit chain, the trust store and
 * the organisation's profile. The versioned SQL migrations of templates/sql/postgres/ (the
 * runner and format are the SQLite register's too: schema.ts) are applied on first use under
 * an advisory lock, so that two workers starting at once apply each exactly once.
 *
 * Concurrency as an office has it: a transaction first takes an advisory lock per handover id
 * it decides about (in one order, so that two workers never deadlock on each other), then
 * reads, decides and writes; the audit entries it carries are chained under one more lock at
 * its end and commit with its rows, so the chain never forks and never disagrees with them.
 * A serialization failure or a deadlock the server reports runs the transaction again.
 */
import { createRequire } from 'node:module';
import { hostname, userInfo } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import { EXIT, HandoverError } from '../core/errors.js';
import { type AuditEntry, type AuditInput, lineHash } from './audit-types.js';
import { newSecret } from './disclosures.js';
import { reconcilePending } from './pending.js';
import {
  type AuditChain,
  appendAuditRows,
  type Exec,
  insertAuditLines,
  normId,
  type Register,
  type RegisterTx,
  readAuditChains,
  SqlRows,
  type TransactionOptions,
} from './repository.js';
import type { Row } from './rows.js';
import { migrationPlan } from './schema.js';

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
    // libpq also takes the password as a parameter (`?password=`).
    for (const k of [...u.searchParams.keys()])
      if (k.toLowerCase() === 'password') u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return 'postgres://…';
  }
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
  // The server asks for a password and none was given (no line in ~/.pgpass, none in the address).
  if (/client password must be a string|password authentication/i.test(String((cause as Error)?.message)))
    return 'AUTH';
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

/** The two tables of certificates (a fixed name, never a caller's string, goes into the SQL). */
type CertTable = 'trust_certificates' | 'directory_signers';

/** For an address without a password: the one ~/.pgpass gives for its host, port, database and user. */
function passwordFromPgpass(url: string): (() => Promise<string>) | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.password) return undefined;
  const info = {
    host: decodeURIComponent(u.hostname) || process.env.PGHOST || 'localhost',
    port: u.port || process.env.PGPORT || '5432',
    database: decodeURIComponent(u.pathname.slice(1)) || process.env.PGDATABASE || '',
    user: decodeURIComponent(u.username) || process.env.PGUSER || userInfo().username,
  };
  const pgpass = createRequire(import.meta.url)('pgpass') as (
    conn: typeof info,
    cb: (pass: string | undefined) => void,
  ) => void;
  // No line for it: undefined, and pg then connects without a password as it would have.
  return () => new Promise((resolve) => pgpass(info, (pass) => resolve(pass as string)));
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
    const fromPgpass = passwordFromPgpass(url);
    const pool = new pg.Pool({
      connectionString: url,
      // ~/.pgpass (or PGPASSFILE) for an address without a password, read through pgpass
      // ourselves: pg's own reading of it is deprecated and prints a warning to every worker.
      ...(fromPgpass ? { password: fromPgpass } : {}),
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
      const [applied] = (await client.query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations'))
        .rows;
      for (const m of migrationPlan('postgres', Number(applied?.v ?? 0))) {
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
    const keys = [...new Set((opts.lock ?? []).map(normId))].sort();
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
    return appendAuditRows(new PgExec(client, this.location), OFFICE_CHAIN, inputs, now);
  }

  async appendAudit(inputs: readonly AuditInput[], now: Date = new Date()): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return this.withClient(async (client) => this.writeAudit(client, inputs, now));
  }

  /**
   * Copies a worker's audit log as a chain of its own (`register migrate`): its lines byte for
   * byte, so that the copy verifies exactly as the file did. Refuses a name already used.
   */
  async importAuditChain(
    chain: string,
    lines: readonly string[],
    head?: { hash: string; count: number },
  ): Promise<void> {
    if (lines.length === 0) return;
    // Stored in their order: a line's place is its number, whatever `seq` it claims, so that a
    // damaged chain is copied as it is and verified as it was, against the head its register
    // kept (else its last line).
    const last = lines[lines.length - 1] as string;
    let count = lines.length;
    try {
      count = Number((JSON.parse(last) as { seq?: unknown }).seq) || count;
    } catch {}
    await this.withClient((c) =>
      insertAuditLines(
        new PgExec(c, this.location),
        chain,
        1,
        lines,
        head ?? { hash: lineHash(last), count },
      ),
    );
  }

  async auditChains(): Promise<AuditChain[]> {
    return readAuditChains(this.exec, OFFICE_CHAIN);
  }

  /** The office's secrets for the youth key (SPEC §12), made once under a lock on first use. */
  async youthSecrets(create: boolean): Promise<{ id: string; secret: Buffer }[]> {
    // Read once per process: a batch import keys every file under the same secrets.
    if (this.secrets?.length || (this.secrets && !create)) return this.secrets;
    this.secrets = await this.readYouthSecrets(create);
    return this.secrets;
  }

  private secrets: { id: string; secret: Buffer }[] | undefined;

  private async readYouthSecrets(create: boolean): Promise<{ id: string; secret: Buffer }[]> {
    const read = async (c: PoolClient | Pool) =>
      (await c.query('SELECT id, secret FROM youth_keys ORDER BY created_at DESC, id')).rows.map((r) => ({
        id: String(r.id),
        secret: Buffer.from(String(r.secret), 'hex'),
      }));
    const have = await read(this.pool).catch((e) => {
      throw isConnectionError(e) ? unavailable(e, this.location) : e;
    });
    if (have.length > 0 || !create) return have;
    return this.withClient(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, 1)', [LOCK_MIGRATE]);
      const again = await read(c);
      if (again.length > 0) return again;
      const k = newSecret();
      await c.query('INSERT INTO youth_keys (id, secret, created_at) VALUES ($1, $2, $3)', [
        k.id,
        k.secret.toString('hex'),
        new Date().toISOString(),
      ]);
      return [k];
    });
  }

  /**
   * Adds secrets a worker's register keyed its log with (`register migrate`), so that the
   * office finds the youth's events under them too. Returns how many were new.
   */
  async addYouthSecrets(list: readonly { id: string; secret: Buffer }[]): Promise<number> {
    let n = 0;
    for (const k of list)
      n += await this.exec.run(
        'INSERT INTO youth_keys (id, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
        [k.id, k.secret.toString('hex'), new Date(0).toISOString()],
      );
    this.secrets = undefined;
    return n;
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
    return this.certRows('trust_certificates');
  }

  /** false when a certificate with this fingerprint is already trusted; throws on a taken name. */
  async addTrustRow(row: TrustRow): Promise<boolean> {
    return this.addCertRow('trust_certificates', row);
  }

  /** A table of certificates by fingerprint with a unique name: partners, or directory signers. */
  private async certRows(table: CertTable): Promise<TrustRow[]> {
    return (await this.exec.all(`SELECT * FROM ${table} ORDER BY name`)).map((r) => ({
      fingerprint256: String(r.fingerprint256),
      name: String(r.name),
      pem: String(r.pem),
      businessId: r.business_id === null ? null : String(r.business_id),
      addedAt: String(r.added_at),
    }));
  }

  private async addCertRow(table: CertTable, row: TrustRow): Promise<boolean> {
    try {
      return (
        (await this.exec.run(
          `INSERT INTO ${table} (fingerprint256, name, pem, business_id, added_at)
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

  // The partner directory (SPEC §13): its signers and the directory last imported.

  async directorySignerRows(): Promise<TrustRow[]> {
    return this.certRows('directory_signers');
  }

  /** false when this certificate already signs directories; throws on a taken name. */
  async addDirectorySignerRow(row: TrustRow): Promise<boolean> {
    return this.addCertRow('directory_signers', row);
  }

  async directoryDocument(): Promise<string | undefined> {
    const [r] = await this.exec.all('SELECT document FROM office_directory WHERE id = 1');
    return r ? String(r.document) : undefined;
  }

  /**
   * Stores a directory only when its sequence is newer than the stored one, in one statement:
   * two workers importing at once cannot both win, nor an older one replace a newer.
   */
  async setDirectoryIfNewer(sequence: number, document: string, user: string): Promise<boolean> {
    return (
      (await this.exec.run(
        `INSERT INTO office_directory (id, sequence, document, imported_at, imported_by) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, document = excluded.document,
           imported_at = excluded.imported_at, imported_by = excluded.imported_by
         WHERE office_directory.sequence < excluded.sequence`,
        [sequence, document, new Date().toISOString(), user],
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

/**
 * The register's migrations, one format for both engines (SPEC §8, §11): versioned SQL files
 * `templates/sql/<engine>/NNN-name.sql`, applied in order, each exactly once. Append only: a
 * shipped file is never edited, so that every register on every machine reaches the same
 * shape. Each backend keeps the number applied its own way (SQLite: `PRAGMA user_version`, as
 * every register since the first has; PostgreSQL: `schema_migrations`) and applies the plan
 * inside one locked transaction, so that two processes opening a new register at once cannot
 * both run a migration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, HandoverError } from '../core/errors.js';
import { templatesDir } from '../core/paths.js';

export type Engine = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const cache = new Map<Engine, Migration[]>();

/** The bundled migrations of one engine, in order; their numbers run 1, 2, 3… without a gap. */
export function migrations(engine: Engine): Migration[] {
  let list = cache.get(engine);
  if (!list) {
    const dir = join(templatesDir(), 'sql', engine);
    list = readdirSync(dir)
      .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
      .sort()
      .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
    list.forEach((m, i) => {
      // A gap or a repeated number would make "the number applied" mean two things.
      if (m.version !== i + 1) throw new Error(`migration ${m.name} out of sequence`);
    });
    cache.set(engine, list);
  }
  return list;
}

/** The newest migration this build knows. */
export const schemaVersion = (engine: Engine): number => migrations(engine).length;

/**
 * What to apply to a register at `applied` (the highest migration it has): the rest in order.
 * A register a newer build made is refused (exit 4), never half understood.
 */
export function migrationPlan(engine: Engine, applied: number): Migration[] {
  const all = migrations(engine);
  if (applied > all.length)
    throw new HandoverError('REGISTER_TOO_NEW', EXIT.environment, {
      key: 'register.REGISTER_TOO_NEW',
      vars: { version: applied, supported: all.length },
    });
  return all.slice(applied);
}

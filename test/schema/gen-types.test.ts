/**
 * scripts/gen-types.mjs --check (run by `npm test`): the generated newest schemas and types
 * must be current, and a frozen schema of a published version must not change by one byte.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

/** A copy of what the script reads and writes, so that the check can be run against an edit. */
function copyOfOutputs(): string {
  const dir = tempDir('handover-gen-');
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  mkdirSync(join(dir, 'src', 'schema'), { recursive: true });
  cpSync(join(ROOT, 'src/schema/types.ts'), join(dir, 'src/schema/types.ts'));
  cpSync(join(ROOT, 'src/schema/directory-types.ts'), join(dir, 'src/schema/directory-types.ts'));
  return dir;
}

function check(cwd: string): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/gen-types.mjs'), '--check'], { cwd, stdio: 'pipe' });
    return { status: 0, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stderr: Buffer };
    return { status: err.status, stderr: err.stderr.toString() };
  }
}

describe('gen-types --check', () => {
  it('passes on the committed files', () => {
    expect(check(copyOfOutputs())).toEqual({ status: 0, stderr: '' });
  });

  it('fails when a frozen 1.0 schema changed, even where the JSON means the same', () => {
    const dir = copyOfOutputs();
    const f = join(dir, 'schemas/receipt-1.0.schema.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace(/\n$/, '\n\n'));
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('schemas/receipt-1.0.schema.json is a published version and must not change');
  });

  it('fails when the newest schema or the types drift from the source', () => {
    const dir = copyOfOutputs();
    const f = join(dir, 'schemas/handover-1.2.schema.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"youth-funds"', '"youth-fund"'));
    writeFileSync(join(dir, 'src/schema/types.ts'), '');
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('schemas/handover-1.2.schema.json is out of date');
    expect(r.stderr).toContain('src/schema/types.ts is out of date');
  });
});

describe('the partner directory schema', () => {
  it('is frozen at 1.0 too: an edit to the published file fails the check', () => {
    const dir = copyOfOutputs();
    const f = join(dir, 'schemas/directory-1.0.schema.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"maxItems": 1000', '"maxItems": 1001'));
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'schemas/directory-1.0.schema.json is a published version and must not change',
    );
  });
});

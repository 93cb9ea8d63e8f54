/**
 * The one writer of output files: whole file or none, owner-only, no silent overwrite, and a
 * clean-up of the temporary files that a killed writer leaves behind.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoverError } from '../../src/core/errors.js';
import {
  cleanStaleTemps,
  STALE_TEMP_MS,
  syncDir,
  writeFileAtomic,
  writeFileAtomicAsync,
  writeFilesAtomic,
} from '../../src/io/atomic-write.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const ageBy = (path: string, ms: number): void => {
  const t = new Date(Date.now() - ms);
  utimesSync(path, t, t);
};

/**
 * A real writer killed at the worst moment: the temporary file is complete and fsynced, the
 * link that would publish it never happens. The child patches node:fs so that linkSync and
 * renameSync deliver SIGKILL to itself; writeFileAtomic (built) sees the patched functions
 * through the live bindings of node:fs.
 */
function killedWriter(dir: string, name: string, data: string): { signal: NodeJS.Signals | null } {
  const modUrl = new URL(`file://${join(ROOT, 'dist', 'io', 'atomic-write.js')}`).href;
  const script = `
    import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    fs.linkSync = fs.renameSync = () => process.kill(process.pid, 'SIGKILL');
    syncBuiltinESMExports();
    const { writeFileAtomic } = await import(${JSON.stringify(modUrl)});
    writeFileAtomic(${JSON.stringify(join(dir, name))}, ${JSON.stringify(data)});
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { signal: r.signal };
}

describe('writeFileAtomic', () => {
  it('writes the whole file owner-only and leaves no temporary file', () => {
    const dir = tempDir();
    const target = join(dir, 'a.json');
    writeFileAtomic(target, '{"a":1}\n');
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('refuses to replace a file without force (OUTPUT_EXISTS, exit 5) and keeps the old content', () => {
    const dir = tempDir();
    const target = join(dir, 'a.json');
    writeFileAtomic(target, 'old');
    let err: unknown;
    try {
      writeFileAtomic(target, 'new');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HandoverError);
    expect((err as HandoverError).code).toBe('OUTPUT_EXISTS');
    expect((err as HandoverError).exit).toBe(5);
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
    writeFileAtomic(target, 'new', { force: true });
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('writes several files all or nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.ics'), 'existing');
    expect(() =>
      writeFilesAtomic([
        { path: join(dir, 'a.pdf'), data: 'pdf' },
        { path: join(dir, 'b.ics'), data: 'ics' },
      ]),
    ).toThrow(HandoverError);
    expect(readdirSync(dir).sort()).toEqual(['b.ics']);
    expect(readFileSync(join(dir, 'b.ics'), 'utf8')).toBe('existing');
  });
});

describe('writeFileAtomicAsync', () => {
  it('writes the whole file owner-only and leaves no temporary file, the folder created 0700', async () => {
    const dir = join(tempDir(), 'out');
    const target = join(dir, 'a.json');
    await writeFileAtomicAsync(target, new TextEncoder().encode('{"a":1}\n'), { mkdir: true });
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('refuses to replace a file without force (OUTPUT_EXISTS, exit 5) and keeps the old content', async () => {
    const dir = tempDir();
    const target = join(dir, 'a.json');
    await writeFileAtomicAsync(target, 'old');
    const err = await writeFileAtomicAsync(target, 'new').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HandoverError);
    expect((err as HandoverError).code).toBe('OUTPUT_EXISTS');
    expect((err as HandoverError).exit).toBe(5);
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
    await writeFileAtomicAsync(target, 'new', { force: true });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('lets exactly one of many writers racing for one name win, whole, with no temporary left', async () => {
    const dir = tempDir();
    const target = join(dir, 'race.json');
    const data = (i: number) => `${JSON.stringify({ writer: i, pad: 'x'.repeat(50_000) })}\n`;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => writeFileAtomicAsync(target, data(i), { deferDirSync: true })),
    );
    await syncDir(dir);
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as HandoverError).code).toBe('OUTPUT_EXISTS');
    expect(readFileSync(target, 'utf8')).toBe(data(won[0]!));
    expect(readdirSync(dir)).toEqual(['race.json']);
  });

  it('reports a folder it may not create as OUTPUT_FAILED (exit 5), leaving nothing behind', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'a file, not a folder');
    const err = await writeFileAtomicAsync(join(dir, 'plain', 'a.json'), 'x', { mkdir: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as HandoverError).code).toBe('OUTPUT_FAILED');
    expect((err as HandoverError).exit).toBe(5);
    const err2 = await writeFileAtomicAsync(join(dir, 'missing', 'a.json'), 'x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err2 as HandoverError).code).toBe('OUTPUT_FAILED');
    expect(readdirSync(dir)).toEqual(['plain']);
  });
});

describe('cleanStaleTemps', () => {
  it('removes the temporary file of a writer killed before its link, once it is stale', () => {
    expect(existsSync(join(ROOT, 'dist', 'io', 'atomic-write.js')), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    expect(killedWriter(dir, '20260302-3f6c2a9e.handover.json', '{"whole":true}\n').signal).toBe('SIGKILL');
    const left = readdirSync(dir);
    // No output, only the hidden temporary file, complete but never published.
    expect(left).toHaveLength(1);
    const tmp = left[0] as string;
    expect(tmp).toMatch(/^\.20260302-3f6c2a9e\.handover\.json\.\d+\.[0-9a-f]{12}\.tmp$/);
    // Fresh: it could be a write in progress in another process.
    expect(cleanStaleTemps(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([tmp]);
    ageBy(join(dir, tmp), STALE_TEMP_MS + 1000);
    expect(cleanStaleTemps(dir)).toEqual([tmp]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs by itself the first time this process writes into a folder', () => {
    const dir = tempDir();
    expect(killedWriter(dir, 'a.receipt.json', '{}').signal).toBe('SIGKILL');
    const [tmp] = readdirSync(dir);
    ageBy(join(dir, tmp!), STALE_TEMP_MS + 1000);
    writeFilesAtomic([{ path: join(dir, 'b.receipt.json'), data: '{}' }]);
    expect(readdirSync(dir)).toEqual(['b.receipt.json']);
  });

  it('removes only stale regular files with the writer naming, never output or other files', () => {
    const dir = tempDir();
    const outside = tempDir();
    const old = STALE_TEMP_MS * 2;
    const names = {
      stale: '.20260302-aaaaaaaa.cover-letter.pdf.4242.0123456789ab.tmp',
      fresh: '.20260302-bbbbbbbb.receipt.json.4243.0123456789ab.tmp',
      own: `.20260302-cccccccc.handover.json.${process.pid}.0123456789ab.tmp`,
      output: '20260302-aaaaaaaa.cover-letter.pdf',
      userDot: '.notes.tmp',
      userLike: '.draft.json.12.xyz.tmp',
      folder: '.x.json.4244.0123456789ab.tmp',
      link: '.y.json.4245.0123456789ab.tmp',
    };
    for (const [k, n] of Object.entries(names)) {
      if (k === 'folder' || k === 'link') continue;
      writeFileSync(join(dir, n), k);
      if (k !== 'fresh') ageBy(join(dir, n), old);
    }
    mkdirSync(join(dir, names.folder));
    ageBy(join(dir, names.folder), old);
    const target = join(outside, 'precious.json');
    writeFileSync(target, 'keep');
    ageBy(target, old);
    symlinkSync(target, join(dir, names.link));

    expect(cleanStaleTemps(dir)).toEqual([names.stale]);
    expect(readdirSync(dir).sort()).toEqual(
      [names.fresh, names.own, names.output, names.userDot, names.userLike, names.folder, names.link].sort(),
    );
    expect(readFileSync(target, 'utf8')).toBe('keep');
    // A shorter age limit takes the fresh one too, still never our own.
    expect(cleanStaleTemps(dir, { olderThanMs: 0, now: Date.now() + 1000 })).toEqual([names.fresh]);
  });

  it('is quiet about a folder that does not exist', () => {
    expect(cleanStaleTemps(join(tempDir(), 'missing'))).toEqual([]);
  });
});

/**
 * The rooms of src/ are held by dependency-cruiser inside `npm run lint` (.dependency-cruiser.cjs,
 * ARCHITECTURE.md): an import that no row allows fails the lint. Here the real config runs on a
 * small tree of its own, once with an allowed import and once with a forbidden one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers/cli.js';

function cruise(files: Record<string, string>): { status: number | null; out: string } {
  const dir = tempDir('handover-depcruise-');
  copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs'),
      'src',
      '--config',
      join(ROOT, '.dependency-cruiser.cjs'),
    ],
    { cwd: dir, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const store = { 'src/config/store.ts': 'export const loadConfig = (): object => ({});\n' };

describe('the house rules in the lint', () => {
  it('passes an import a row allows (config -> domain)', () => {
    const r = cruise({
      ...store,
      'src/domain/hetu.ts': 'export const valid = (s: string): boolean => s.length === 11;\n',
      'src/config/keys.ts': "import { valid } from '../domain/hetu.js';\nexport const k = valid('x');\n",
    });
    expect(r.out).toContain('no dependency violations');
    expect(r.status).toBe(0);
  });

  it('fails on a forbidden one (domain -> config), naming the two files', () => {
    const r = cruise({
      ...store,
      'src/domain/hetu.ts':
        "import { loadConfig } from '../config/store.js';\nexport const c = loadConfig();\n",
    });
    expect(r.out).toContain('not-in-allowed: src/domain/hetu.ts → src/config/store.ts');
    expect(r.status).not.toBe(0);
  });

  it('fails on a command that reaches past its service (commands -> register)', () => {
    const r = cruise({
      'src/register/index.ts': 'export const HANDOVER_STATUSES = [] as string[];\n',
      'src/commands/list.ts':
        "import { HANDOVER_STATUSES } from '../register/index.js';\nexport const s = HANDOVER_STATUSES;\n",
    });
    expect(r.out).toContain('not-in-allowed: src/commands/list.ts → src/register/index.ts');
    expect(r.status).not.toBe(0);
  });
});

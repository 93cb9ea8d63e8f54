import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Show from '../../src/commands/show.js';
import { ROOT, runBin, runCommand, tempDir } from '../helpers/cli.js';

const AFTERCARE = join(ROOT, 'templates', 'examples', 'aftercare.handover.json');
const env = () => ({ HANDOVER_HOME: tempDir(), HANDOVER_LANG: undefined, NO_COLOR: '1' });

describe('handover show', () => {
  describe('text', () => {
    it('prints the summary in the language chosen', async () => {
      const r = await runCommand(Show, [AFTERCARE, '--lang', 'fi'], env());
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Jälkihuollon siirto\n');
      expect(r.stdout).toContain('Oikeus päättyy: 1.5.2029');
      const sv = await runCommand(Show, [AFTERCARE, '--lang', 'sv'], env());
      expect(sv.stdout).toContain('Rätten upphör: 1.5.2029');
      expect(sv.stdout).toContain('stödperson');
    });

    it('takes the language from HANDOVER_LANG', async () => {
      const r = await runCommand(Show, [AFTERCARE], { ...env(), HANDOVER_LANG: 'sv' });
      expect(r.stdout).toContain('Överföring av eftervård\n');
    });

    it('uses service names from the organisation config', async () => {
      const home = tempDir();
      writeFileSync(
        join(home, 'config.json'),
        JSON.stringify({ services: { 'support-person': { name: { en: 'befriender' } } } }),
      );
      const r = await runCommand(Show, [AFTERCARE, '--lang', 'en'], { ...env(), HANDOVER_HOME: home });
      expect(r.stdout).toContain('befriender');
    });
  });

  describe('--json', () => {
    it('prints only the summary object', async () => {
      const r = await runCommand(Show, [AFTERCARE, '--json', '--lang', 'en'], env());
      expect(r.exitCode).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({
        kind: 'handover',
        id: '3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21',
        signed: false,
      });
      expect(out.services).toHaveLength(5);
    });

    it.each([
      ['1.0', 'complete.handover.json'],
      ['1.1', 'complete-1.1.handover.json'],
    ])('shows a %s file', async (_version, name) => {
      const r = await runCommand(
        Show,
        [join(ROOT, 'test/fixtures/schema', name), '--json', '--lang', 'en'],
        env(),
      );
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        kind: 'handover',
        id: '6f1c2a9e-3b4d-4c8e-9f10-2a3b4c5d6e7f',
      });
    });

    it('reports an unparseable file as JSON_PARSE with exit 1 and no stack', async () => {
      const file = join(tempDir(), 'broken.json');
      writeFileSync(file, '{"schemaVersion": "1.0",');
      const r = await runCommand(Show, [file, '--json'], env());
      expect(r.exitCode).toBe(1);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'JSON_PARSE', exit: 1 });
      expect(r.stdout + r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    });
  });

  describe('errors', () => {
    it('a missing file is a usage error (exit 2)', async () => {
      const r = await runCommand(Show, [join(tempDir(), 'missing.json'), '--lang', 'en'], env());
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('PATH_NOT_FOUND');
    });

    it('a broken file gives a localised message on stderr', async () => {
      const file = join(tempDir(), 'broken.json');
      writeFileSync(file, 'not json');
      const r = await runCommand(Show, [file, '--lang', 'fi'], env());
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('ei ole kelvollista JSONia');
      expect(r.stdout).toBe('');
    });
  });

  describe('built CLI', () => {
    it('runs as a subprocess', async () => {
      const r = await runBin(['show', AFTERCARE, '--lang', 'sv'], { env: env() });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Vasa (905)');
    });
  });
});

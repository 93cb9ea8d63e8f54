import { describe, expect, it } from 'vitest';
import RegisterList from '../../src/commands/register/list.js';
import RegisterPending from '../../src/commands/register/pending.js';
import { registerSent } from '../../src/register/sent.js';
import type { Handover } from '../../src/schema/types.js';
import { runCommand, tempDir } from '../helpers/cli.js';

const A = '33333333-3333-4333-8333-333333333333';
const doc = {
  id: A,
  type: 'aftercare',
  createdAt: '2026-03-02T10:00:00+02:00',
  sender: { organization: { name: 'Lähettäjä', businessId: '0166906-4' } },
  recipient: { organization: { name: 'Vastaanottaja', businessId: '2082259-7' } },
} as Handover;

async function seeded(): Promise<string> {
  const home = tempDir();
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = home;
  try {
    await registerSent(doc, 'c'.repeat(64), '20260302-33333333.handover.json', {
      now: new Date('2026-01-01T00:00:00Z'),
    });
  } finally {
    if (saved === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved;
  }
  return home;
}

describe('register list', () => {
  it('--json returns the rows and nothing else on stdout', async () => {
    const home = await seeded();
    const r = await runCommand(RegisterList, ['--json'], { HANDOVER_HOME: home });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { entries: { id: string; status: string }[] };
    expect(out.entries).toEqual([expect.objectContaining({ id: A, status: 'sent' })]);
  });

  it('filters by status and prints CSV', async () => {
    const home = await seeded();
    const csv = await runCommand(RegisterList, ['--format', 'csv', '--lang', 'en'], { HANDOVER_HOME: home });
    expect(csv.stdout.split('\r\n')[1]).toMatch(new RegExp(`^${A},outgoing,sent,`));
    const none = await runCommand(RegisterList, ['--status', 'accepted', '--lang', 'en'], {
      HANDOVER_HOME: home,
    });
    expect(none.stdout).toBe('The register has no matching handovers.\n');
  });
});

describe('register pending', () => {
  it('lists handovers without a receipt beyond the age, and a bad age is a usage error', async () => {
    const home = await seeded();
    const r = await runCommand(RegisterPending, ['--older-than', '2w', '--json'], { HANDOVER_HOME: home });
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual([A]);
    const bad = await runCommand(RegisterPending, ['--older-than', 'forever', '--json'], {
      HANDOVER_HOME: home,
    });
    expect(bad.exitCode).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('DURATION_INVALID');
  });

  it('an empty list says every handover has its receipt, with no hint about ages', async () => {
    const r = await runCommand(RegisterPending, ['--lang', 'fi'], { HANDOVER_HOME: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('Jokaisesta lähetetystä siirrosta on saatu kuittaus.');
    expect(r.stderr).not.toContain('--older-than');
  });
});

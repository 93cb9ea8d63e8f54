import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../src/interview/scope.js';
import { youth } from '../../../src/interview/sections/youth.js';
import { baseDraft, interview } from '../drafts.js';

const draft = (): Draft => ({
  ...baseDraft(),
  schemaVersion: '1.2',
  type: 'aftercare',
  consent: { basis: 'consent', recordedBy: 'Sari Esimerkki', scope: ['identity', 'contact'] },
});

const script = (nonDisclosure: boolean) =>
  [
    ["Youth's given names", ['Aino']],
    ["Youth's family name", ['Keksitty']],
    ['Personal identity code', ['020506A952K']],
    ['Moving date', ['']],
    ['preferred language', ['']],
    ['interpreter', ['']],
    ['non-disclosure', [nonDisclosure]],
    ['phone', ['+358 40 000 0100']],
    ['e-mail', ['']],
    ['street address', ['']],
    ['home municipality change', [false]],
    ['want aftercare', ['yes']],
    ['own wishes', ['']],
  ] as const;

describe('the youth section', () => {
  it('under turvakielto asks for no contact detail, says why, and drops one the draft held', async () => {
    const d = draft();
    d.youth = { contact: { email: 'aino@example.fi' } };
    const { q, ask } = interview(
      script(true).map(([m, a]) => [m, [...a]]),
      d,
    );
    await youth(q, true);
    expect(ask.asked.some((m) => /phone|e-mail|street/i.test(m))).toBe(false);
    expect(ask.said.some((s) => s.includes('population information system'))).toBe(true);
    expect(q.draft.youth?.contact).toBeUndefined();
    expect(q.draft.youth).toMatchObject({ nonDisclosure: true, homeMunicipalityChanges: false });
  });

  it('without turvakielto asks for the contact details in scope and whether the home municipality changes', async () => {
    const { q, ask } = interview(
      script(false).map(([m, a]) => [m, [...a]]),
      draft(),
    );
    await youth(q, true);
    expect(ask.asked.some((m) => m.includes('home municipality change'))).toBe(true);
    expect(q.draft.youth).toMatchObject({
      contact: { phone: '+358 40 000 0100' },
      homeMunicipalityChanges: false,
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../src/interview/scope.js';
import { consentGate } from '../../../src/interview/sections/consent.js';
import { baseDraft, interview, PROFILE } from '../drafts.js';

const ADULT: Draft['youth'] = {
  name: { given: 'Aino', family: 'Keksitty' },
  birthDate: '2006-05-02',
  contact: { phone: '+358 40 111 2222' },
};

describe('the consent section', () => {
  it('a narrower scope removes what the draft already held outside it, and says what went', async () => {
    const draft: Draft = {
      ...baseDraft(),
      sender: PROFILE,
      youth: ADULT,
      consent: { basis: 'consent', recordedBy: 'Sari Esimerkki', scope: ['identity', 'contact'] },
    };
    const { q, ask } = interview(
      [
        ['Is this correct and on record', [false]],
        ['Has the youth consented', ['statutory']],
        ['The provision that allows', ['', '703/2023 56 §']],
        ['Who recorded it', ['']],
        ['Which data does the provision cover', [[]]],
      ],
      draft,
    );
    await consentGate(q);
    // LsL 25 d § concerns a child: for an adult it is neither proposed nor named as an example.
    expect(ask.asked.find((m) => m.startsWith('The provision that allows'))).toContain(
      'LsL 25 d § concerns a child',
    );
    expect(q.draft.consent).toEqual({
      basis: 'statutory',
      statutoryReference: '703/2023 56 §',
      recordedBy: 'Sari Esimerkki',
      scope: ['identity'],
    });
    expect(q.draft.youth?.contact).toBeUndefined();
    expect(ask.said).toContain('Left out (no consent for contact details of the youth): /youth/contact');
  });

  it('does not ask who consented for a youth already of age', async () => {
    const { q, ask } = interview(
      [
        ['Has the youth consented', ['consent']],
        ['How was the consent given', ['oral']],
        ['Date of the consent', ['']],
        ['Who recorded it', ['Sari Esimerkki']],
        ['Which data did the youth agree', [['contact']]],
      ],
      { ...baseDraft(), youth: ADULT },
    );
    await consentGate(q);
    expect(q.draft.consent).toMatchObject({ givenOn: '2026-11-20', scope: ['identity', 'contact'] });
    expect(q.draft.consent?.givenBy).toBeUndefined();
    expect(ask.asked.some((x) => x.includes('Who gave'))).toBe(false);
  });
});

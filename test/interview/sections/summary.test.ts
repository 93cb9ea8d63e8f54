import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/domain/catalogue.js';
import { Interview } from '../../../src/interview/base.js';
import type { Draft } from '../../../src/interview/scope.js';
import { entitlement } from '../../../src/interview/sections/entitlement.js';
import { summary } from '../../../src/interview/sections/summary.js';
import { validateDocument } from '../../../src/services/validate/index.js';
import { baseDraft, interview, PROFILE } from '../drafts.js';
import { type Script, ScriptAsk } from '../script-ask.js';

/** The real rules of the handover file over the draft, as `handover new` gives them. */
const check = (d: Draft) =>
  validateDocument(JSON.stringify(d), { lang: 'en' }).findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    pointer: f.pointer,
    message: f.message,
  }));

/** Complete but for a backup contact, with a meeting at 13:00 Finnish time. */
const complete = (): Draft => ({
  ...baseDraft(),
  schemaVersion: '1.1',
  type: 'aftercare',
  sender: { organization: PROFILE.organization, contact: PROFILE.contact! },
  recipient: {
    organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4', municipalityCode: '905' },
    contact: { name: 'Vera Vastaanottaja', email: 'vera@example.fi' },
  },
  youth: { name: { given: 'Aino', family: 'Keksitty' }, birthDate: '2006-05-02', newMunicipalityCode: '905' },
  consent: {
    basis: 'consent',
    givenOn: '2026-11-12',
    method: 'oral',
    recordedBy: 'Sari Esimerkki',
    scope: ['identity', 'entitlement'],
  },
  entitlement: {
    basis: 'custody-placement',
    placementEndedOn: '2024-05-01',
    endsOn: '2029-05-01',
    payer: 'sender',
  },
  meeting: {
    slots: [{ start: '2026-12-09T13:00:00+02:00', end: '2026-12-09T14:30:00+02:00' }],
    channel: 'teams',
  },
});

function run(script: Script, draft: Draft): { q: Interview; ask: ScriptAsk } {
  const ask = new ScriptAsk(script);
  return { ask, q: new Interview({ ask, lang: 'en', catalogue: loadCatalogue(), draft, check }) };
}

describe('the summary', () => {
  it('shows dates as d.m.yyyy, the meeting in Finnish time, the receiving worker, and every finding with the section that fixes it', async () => {
    const { q, ask } = run(
      [
        ['What next?', ['sender', 'write']],
        ['Your name', ['']],
        ['Your job title', ['']],
        ['Your e-mail', ['']],
        ['Your phone', ['']],
        ['Add a backup contact', [true]],
        ['Name of the backup contact', ['Timo Testaaja']],
        ['Job title of the backup contact', ['']],
        ['E-mail of the backup contact', ['']],
        ['Phone of the backup contact', ['+358 40 000 0003']],
      ],
      complete(),
    );
    await summary(q);
    const first = ask.said.join('\n');
    expect(first).toContain('Date of birth: 2.5.2006');
    expect(first).toContain('9.12.2026 13.00–14.30 Finnish time');
    expect(first).toContain('Receiving worker: Vera Vastaanottaja, vera@example.fi');
    expect(first).toMatch(/Warning BACKUP_CONTACT_MISSING: .* → Change: our contact and backup contact/);
    // Editing the sender kept its answers: the name was accepted with Enter.
    expect(q.draft.sender?.contact).toEqual(PROFILE.contact);
    expect(q.draft.sender?.backupContact).toEqual({ name: 'Timo Testaaja', phone: '+358 40 000 0003' });
    expect(check(q.draft).map((f) => f.rule)).toEqual([]);
    // The second summary has nothing left to report.
    expect(ask.said.at(-1)).not.toContain('BACKUP_CONTACT_MISSING');
  });

  it('with an error, writing is not offered and the section that fixes it is proposed', async () => {
    const draft = complete();
    draft.entitlement!.endsOn = '2031-01-01';
    const { q, ask } = run(
      [
        ['What next?', ['entitlement', 'write']],
        ['rest on', ['']],
        ['Placement started on', ['']],
        ['Placement ended on', ['']],
        ['child-welfare client now', ['']],
        ['Last day of the right', ['']],
        ['Who pays', ['']],
      ],
      draft,
    );
    await summary(q);
    const [before, after] = ask.selects.filter((x) => x.message === 'What next?');
    expect(before?.choices).not.toContain('write');
    expect(before?.default).toBe('entitlement');
    expect(after?.choices[0]).toBe('write');
    expect(ask.said.join('\n')).toContain('ERROR ENTITLEMENT_AGE_LIMIT');
    // Enter on every question kept the earlier answers, and the law's day replaced the one past it.
    expect(q.draft.entitlement).toEqual({ ...complete().entitlement, endsOn: '2029-05-01' });
  });
});

describe('the summary shows everything typed (issue 25)', () => {
  it('in Swedish: identity code, contact details, wishes, goals and prices, languages in words, one money format', async () => {
    const draft: Draft = {
      ...complete(),
      youth: {
        ...complete().youth!,
        personalIdentityCode: '020506A952K',
        preferredLanguage: 'sv',
        interpreter: 'ar',
        wantsServices: 'yes',
        wishes: 'Jag vill bo nära skolan.',
        contact: {
          phone: '+358 40 000 0100',
          email: 'aino@example.fi',
          address: { street: 'Påhittad väg 5', postalCode: '65100', city: 'Vasa' },
        },
      },
      clientPlan: { date: '2026-10-15', goals: [{ id: 'g1', text: 'Bor i en egen hyresbostad.' }] },
      services: [
        {
          id: 's1',
          code: 'aftercare-social-work',
          classification: 'aftercare',
          provider: 'recipient',
          payer: 'sender',
          pricing: { unit: 'month', unitPriceEur: 9000 },
          clientPlanGoal: 'g1',
        },
      ],
      notes: 'x'.repeat(80),
    } as Draft;
    // Cancelled after reading: the summary was shown whole first.
    const ask = new ScriptAsk([['Vad vill du göra?', ['cancel']]]);
    const q = new Interview({ ask, lang: 'sv', catalogue: loadCatalogue(), draft, check });
    await expect(summary(q)).rejects.toThrow();
    const text = ask.said.join('\n');
    expect(text).toContain('Personbeteckning: 020506A952K');
    expect(text).toContain('Den ungas adress: Påhittad väg 5, 65100 Vasa');
    expect(text).toContain('Den ungas telefon: +358 40 000 0100');
    expect(text).toContain('Den ungas e-post: aino@example.fi');
    expect(text).toContain('Den ungas önskemål: Jag vill bo nära skolan.');
    expect(text).toContain('Vill ha tjänster i den nya kommunen: ja');
    expect(text).toContain('Kontaktspråk: svenska');
    expect(text).toContain('Tolk: arabiska');
    expect(text).toContain('Mål i klientplanen: 1 mål');
    expect(text).toContain('g1: Bor i en egen hyresbostad.');
    expect(text).toContain('9\u00a0000,00\u00a0€ per månad');
    expect(text).toContain('x'.repeat(80));
    expect(text).not.toMatch(/: sv$|: ar$/m);
  });
});

describe('dates a rule would flag are questioned at their prompt (SPEC §4.6)', () => {
  it('a custody placement ending on the 18th birthday is questioned, and the day before it is proposed', async () => {
    const { q, ask } = interview(
      [
        ['rest on', ['custody-placement']],
        ['Placement started on', ['']],
        ['Placement ended on', ['2.5.2024', '']],
        ['Keep the date you gave anyway', [false]],
        ['child-welfare client now', [false]],
        ['Last day as a child-welfare client', ['15.8.2025']],
        ['Last day of the right', ['']],
        ['Who pays', ['']],
      ],
      { ...complete(), entitlement: undefined },
    );
    await entitlement(q);
    expect(ask.said).toContain(
      'A care order ends at 18 at the latest: the placement can end on 1.5.2024 at the latest.',
    );
    expect(q.draft.entitlement).toMatchObject({ placementEndedOn: '2024-05-01', lastClientOn: '2025-08-15' });
  });

  it('integration support: no client question, and the receiving organiser pays by default', async () => {
    const { q, ask } = interview(
      [
        ['Placement started on', ['']],
        ['Placement ended on', ['1.5.2024']],
        ['Last day of the right', ['']],
        ['Who arranges and pays', ['']],
        ['reimbursement decision', ['']],
      ],
      { ...complete(), type: 'integration-support', entitlement: undefined },
    );
    await entitlement(q);
    expect(ask.asked.some((m) => m.includes('client now'))).toBe(false);
    expect(q.draft.entitlement).toMatchObject({ basis: 'unaccompanied-minor', payer: 'recipient' });
  });
});

import { describe, expect, it } from 'vitest';
import { isHandoverError } from '../../src/core/errors.js';
import { loadCatalogue } from '../../src/domain/catalogue.js';
import { runInterview } from '../../src/interview/flow.js';
import type { Draft } from '../../src/interview/scope.js';
import { validateDocument } from '../../src/services/validate/index.js';
import { baseDraft, FORMAL, PROFILE } from './drafts.js';
import { type Script, ScriptAsk } from './script-ask.js';

const CONSENT: Script = [
  ['Has the youth consented', ['consent']],
  ['How was the consent given', ['written']],
  ['Date of the consent', ['30.11.2026', '12.11.2026']],
  ['Who gave the consent', ['youth']],
  ['Who recorded it', ['']],
];
const RECIPIENT: Script = [
  ['What is handed over', ['aftercare']],
  ['Municipality the youth moves to', ['Vasa']],
  ['Receiving organisation', ['']],
  ['Business ID of the receiving', ['0166906-5', '0166906-4']],
  ['Do you know the receiving worker', [false]],
  ['bilingual', ['sv']],
];
const YOUTH: Script = [
  ["Youth's given names", ['Aino']],
  ["Youth's family name", ['Keksitty']],
  ['Personal identity code', ['020506A952L', '020506A952K']],
  ['Moving date', ['']],
  ['preferred language', ['']],
  ['interpreter', ['']],
  ['non-disclosure', [false]],
  ['want aftercare', ['yes']],
  ['own wishes', ['Opiskelu jatkuu Vaasassa.']],
];
const TAIL: Script = [
  ['Propose a joint', [false]],
  ['Other notes', ['']],
  ['What next?', ['write']],
];

/** A draft complete up to the summary, with consent to share the identity only. */
const identityOnlyDraft = (notes: string): Draft => ({
  ...baseDraft(),
  type: 'aftercare',
  recipient: {
    organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4', municipalityCode: '905' },
  },
  youth: { name: { given: 'Aino', family: 'Keksitty' }, birthDate: '2006-05-02', newMunicipalityCode: '905' },
  consent: {
    basis: 'consent',
    givenOn: '2026-11-12',
    method: 'oral',
    recordedBy: 'Sari Esimerkki',
    scope: ['identity'],
  },
  notes,
});

describe('the interview', () => {
  it('asks only inside the consent scope, re-asks bad answers with the rule, and proposes the law date', async () => {
    const ask = new ScriptAsk([
      ...FORMAL,
      ...CONSENT,
      ['Which data did the youth agree', [['entitlement', 'services']]],
      ...RECIPIENT,
      ...YOUTH,
      ['What does the right to aftercare rest on', ['custody-placement']],
      ['Placement started on', ['']],
      ['Placement ended on', ['1.5.2024']],
      ['child-welfare client now', [true]],
      ['Last day of the right', ['1.1.2030', '']],
      ['Does support continue after the statutory day', ['none']],
      ['Who pays for the aftercare', ['sender']],
      ['Add a service?', [true]],
      ['Add another service?', [true, false]],
      ['Service (only', ['support-person', 'rehabilitative-work-activity']],
      ['Classification', ['', '']],
      ['Who provides it?', ['recipient', 'recipient']],
      ['Who pays?', ['']],
      ['Price unit', ['hour']],
      ['Unit price', ['45,50']],
      ['Estimated number', ['20']],
      ['Service starts on', ['', '']],
      ['Description of the service', ['', '']],
      ...TAIL,
    ]);
    const r = await runInterview({
      ask,
      lang: 'en',
      draft: baseDraft(),
      profile: PROFILE,
      catalogue: loadCatalogue(),
    });
    const d = r.draft;
    expect(d.consent).toEqual({
      basis: 'consent',
      method: 'written',
      givenOn: '2026-11-12',
      givenBy: 'youth',
      recordedBy: 'Sari Esimerkki',
      scope: ['identity', 'entitlement', 'services'],
    });
    expect(d.youth).toMatchObject({
      personalIdentityCode: '020506A952K',
      birthDate: '2006-05-02',
      newMunicipalityCode: '905',
    });
    expect(d.youth?.contact).toBeUndefined();
    expect(d.clientPlan).toBeUndefined();
    expect(ask.asked.some((q) => !/invoice/.test(q) && /phone|e-mail|street|client plan/i.test(q))).toBe(
      false,
    );
    // Health, substance use, education and finances are outside the scope: their services are not offered.
    const offered = [...ask.offered.entries()].find(([q]) => q.startsWith('Service (only'))![1];
    expect(offered).toContain('support-person');
    expect(offered).not.toContain('healthcare');
    expect(offered).not.toContain('student-welfare');
    expect(offered).not.toContain('independence-funds');
    expect(d.recipient?.organization).toEqual({
      name: 'Pohjanmaan hyvinvointialue',
      businessId: '0166906-4',
      municipalityCode: '905',
    });
    expect(r.letterLanguage).toBe('sv');
    expect(d.entitlement).toEqual({
      basis: 'custody-placement',
      placementEndedOn: '2024-05-01',
      endsOn: '2029-05-01',
      payer: 'sender',
    });
    expect(ask.said).toContain('By law the right ends on 1.5.2029 (the day before the youth turns 23).');
    expect(ask.refused.map((x) => x.reason)).toEqual([
      'The date cannot be after 20.11.2026.',
      'Not a valid business ID: the form is 1234567-1 and the last digit is a check digit.',
      'Not a valid personal identity code: check the date, the century sign and the control character.',
    ]);
    expect(ask.said).toContain('That is later than the law allows (1.5.2029).');
    expect(d.services).toEqual([
      {
        id: 's1',
        code: 'support-person',
        classification: 'aftercare',
        provider: 'recipient',
        payer: 'sender',
        pricing: { unit: 'hour', unitPriceEur: 45.5, estimatedUnits: 20 },
      },
      {
        id: 's2',
        code: 'rehabilitative-work-activity',
        classification: 'basic',
        provider: 'recipient',
        payer: 'recipient',
      },
    ]);
    const v = validateDocument(JSON.stringify({ ...d, sender: PROFILE }), { lang: 'en' });
    expect(v.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('closes the gate when there is neither consent nor a statutory basis: exit 3 before any other question', async () => {
    const ask = new ScriptAsk([...FORMAL, ['Has the youth consented', ['none']]]);
    const err = await runInterview({
      ask,
      lang: 'en',
      draft: baseDraft(),
      profile: PROFILE,
      catalogue: loadCatalogue(),
    }).catch((e) => e);
    expect(isHandoverError(err) && err.code).toBe('CONSENT_GATE_CLOSED');
    expect(err.exit).toBe(3);
    expect(ask.asked).toHaveLength(1);
  });

  it('shows a consent prefilled from the draft and asks for confirmation; a "no" asks it anew', async () => {
    const draft: Draft = {
      ...baseDraft(),
      consent: {
        basis: 'statutory',
        statutoryReference: 'LsL 25 d §',
        recordedBy: 'Sari Esimerkki',
        scope: ['identity'],
      },
    };
    const ask = new ScriptAsk([
      ...FORMAL,
      ['Is this correct and on record', [false]],
      ['Has the youth consented', ['none']],
    ]);
    const err = await runInterview({
      ask,
      lang: 'en',
      draft,
      profile: PROFILE,
      catalogue: loadCatalogue(),
    }).catch((e) => e);
    expect(err.code).toBe('CONSENT_GATE_CLOSED');
    expect(ask.said[0]).toContain('LsL 25 d §');
  });

  it('asks for the own organisation once when no profile is saved, and offers to save it', async () => {
    const ask = new ScriptAsk([
      ...FORMAL,
      ['Name of your organisation', ['Keski-Suomen hyvinvointialue']],
      ['Business ID of your organisation', ['1572860-0']],
      ['Your name', ['Testi Käyttäjä']],
      ['Your job title', ['']],
      ['Your e-mail', ['']],
      ['Your phone', ['', '+358 40 123 4567']],
      ['Add a backup contact', [false]],
      ['Save these details', [true]],
      ['Has the youth consented', ['none']],
    ]);
    await runInterview({
      ask,
      lang: 'en',
      draft: baseDraft(),
      profile: undefined,
      catalogue: loadCatalogue(),
    }).catch(() => undefined);
    expect(ask.said).toContain('A contact person needs an e-mail address or a phone number.');
    const ask2 = new ScriptAsk([
      ...FORMAL,
      ['Name of your organisation', ['Keski-Suomen hyvinvointialue']],
      ['Business ID of your organisation', ['1572860-0']],
      ['Your name', ['Testi Käyttäjä']],
      ['Your job title', ['']],
      ['Your e-mail', ['testi@example.fi']],
      ['Your phone', ['']],
      ['Add a backup contact', [true]],
      ['Name of the backup contact', ['Timo Testaaja']],
      ['Job title of the backup contact', ['']],
      ['E-mail of the backup contact', ['']],
      ['Phone of the backup contact', ['+358 40 000 0003']],
      ['Save these details', [true]],
      ['Has the youth consented', ['statutory']],
      ['The provision that allows', ['LsL 25 d §']],
      ['Who recorded it', ['']],
      ['Which data does the provision cover', [[]]],
      ...RECIPIENT,
      ...YOUTH,
      ...TAIL,
    ]);
    const r = await runInterview({
      ask: ask2,
      lang: 'en',
      draft: baseDraft(),
      profile: undefined,
      catalogue: loadCatalogue(),
    });
    expect(r.saveProfile).toEqual({
      organization: { name: 'Keski-Suomen hyvinvointialue', businessId: '1572860-0' },
      contact: { name: 'Testi Käyttäjä', email: 'testi@example.fi' },
      backupContact: { name: 'Timo Testaaja', phone: '+358 40 000 0003' },
    });
    expect(r.draft.consent).toEqual({
      basis: 'statutory',
      statutoryReference: 'LsL 25 d §',
      recordedBy: 'Testi Käyttäjä',
      scope: ['identity'],
    });
    expect(r.draft.entitlement).toBeUndefined();
    expect(r.draft.services).toEqual([]);
  });

  it('asks only what a draft lacks, and lets the worker change a section at the summary', async () => {
    const draft = identityOnlyDraft('Alustava.');
    const ask = new ScriptAsk([
      ...FORMAL,
      ['Is this correct and on record', [true]],
      ['bilingual', ['fi']],
      ['Propose a joint', [false]],
      ['What next?', ['notes', 'write']],
      ['Other notes', ['Tavataan ensin puhelimessa.']],
    ]);
    const r = await runInterview({ ask, lang: 'en', draft, profile: PROFILE, catalogue: loadCatalogue() });
    expect(r.draft.notes).toBe('Tavataan ensin puhelimessa.');
    expect(ask.asked.filter((q) => q.includes('names'))).toEqual([]);
    expect(ask.said.some((s) => s.includes('Summary'))).toBe(true);
  });

  it('cancelling at the summary is an interruption (exit 130)', async () => {
    const draft = identityOnlyDraft('x');
    const ask = new ScriptAsk([
      ...FORMAL,
      ['Is this correct and on record', [true]],
      ['bilingual', ['fi']],
      ['Propose a joint', [false]],
      ['What next?', ['cancel']],
    ]);
    const err = await runInterview({
      ask,
      lang: 'en',
      draft,
      profile: PROFILE,
      catalogue: loadCatalogue(),
    }).catch((e) => e);
    expect(err.code).toBe('INTERRUPTED');
    expect(err.exit).toBe(130);
  });
});

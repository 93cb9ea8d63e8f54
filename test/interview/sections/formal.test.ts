import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/domain/catalogue.js';
import { Interview, type Office } from '../../../src/interview/base.js';
import type { Draft } from '../../../src/interview/scope.js';
import { caseDetails, decisions, payment } from '../../../src/interview/sections/formal.js';
import { baseDraft, PROFILE } from '../drafts.js';
import { type Script, ScriptAsk } from '../script-ask.js';

const draft = (): Draft => ({
  ...baseDraft(),
  schemaVersion: '1.1',
  type: 'aftercare',
  sender: { organization: PROFILE.organization, contact: PROFILE.contact! },
  youth: { name: { given: 'Aino', family: 'Keksitty' }, birthDate: '2006-05-02', movingDate: '2026-12-01' },
  consent: { basis: 'consent', recordedBy: 'Sari Esimerkki', scope: ['identity', 'entitlement', 'services'] },
  entitlement: {
    basis: 'custody-placement',
    placementEndedOn: '2024-05-01',
    endsOn: '2029-05-01',
    payer: 'sender',
  },
});

function run(script: Script, d: Draft, office?: Office) {
  const ask = new ScriptAsk(script);
  return { ask, q: new Interview({ ask, lang: 'en', catalogue: loadCatalogue(), draft: d, office }) };
}

describe('the format 1.1 questions (SPEC §4.9)', () => {
  it('proposes reply-by as createdAt + the configured days, and takes the signatory from the config without asking', async () => {
    const { q, ask } = run(
      [
        ['Case reference', ['SOS/123/2026']],
        ['By which day', ['']],
      ],
      draft(),
      {
        replyDays: 21,
        signatory: { name: 'Leena Päättäjä', title: 'johtava sosiaalityöntekijä' },
      },
    );
    await caseDetails(q);
    expect(q.draft).toMatchObject({
      caseReference: 'SOS/123/2026',
      replyBy: '2026-12-11',
      signatory: { name: 'Leena Päättäjä', title: 'johtava sosiaalityöntekijä' },
    });
    expect(ask.asked.some((m) => m.includes('signs'))).toBe(false);
  });

  it('without a configured signatory asks once and offers to save it', async () => {
    const { q } = run(
      [
        ['Case reference', ['']],
        ['By which day', ['18.12.2026']],
        ['Name of the official who signs', ['Leena Päättäjä']],
        ['Title of the signatory', ['johtava sosiaalityöntekijä']],
        ['Save the signatory', [true]],
      ],
      draft(),
    );
    await caseDetails(q);
    expect(q.draft.replyBy).toBe('2026-12-18');
    expect(q.draft.caseReference).toBeUndefined();
    expect(q.toSave.signatory).toEqual({ name: 'Leena Päättäjä', title: 'johtava sosiaalityöntekijä' });
  });

  it('decisions in force, billing details (offered for saving) and a payment commitment up to the last day of the right', async () => {
    const { q } = run(
      [
        ['Add a decision in force', [true]],
        ['Add another decision', [false]],
        ['Date of the decision', ['2.5.2024']],
        ['What was decided', ['Jälkihuollon järjestäminen']],
        ['Record number of the decision', ['SOS/45/2024']],
        ['E-invoice address', ['003715728600']],
        ['E-invoice operator', ['003721291126']],
        ['E-mail for invoices', ['']],
        ['Reference to quote', ['']],
        ['Save the invoicing details', [true]],
        ['Give a payment commitment', [true]],
        ['Payment commitment from', ['']],
        ['Payment commitment ends', ['']],
        ['Ceiling in euros', ['12000']],
        ['payment commitment decision', ['']],
      ],
      draft(),
    );
    await decisions(q);
    await payment(q);
    expect(q.draft.decisions).toEqual([
      { date: '2024-05-02', subject: 'Jälkihuollon järjestäminen', reference: 'SOS/45/2024' },
    ]);
    expect(q.draft.sender?.billing).toEqual({ eInvoiceAddress: '003715728600', operator: '003721291126' });
    expect(q.toSave.billing).toEqual(q.draft.sender?.billing);
    expect(q.draft.paymentCommitment).toEqual({ from: '2026-12-01', to: '2029-05-01', maxAmountEur: 12000 });
  });

  it('no billing or commitment when the receiver pays, and none of it in a 1.0 draft', async () => {
    const d = draft();
    d.entitlement!.payer = 'recipient';
    const { q, ask } = run([], d);
    await payment(q);
    expect(ask.asked).toEqual([]);
    const old = run([], { ...draft(), schemaVersion: '1.0' });
    await caseDetails(old.q);
    await decisions(old.q);
    await payment(old.q);
    expect(old.ask.asked).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/domain/catalogue.js';
import { Interview, type Partner } from '../../../src/interview/base.js';
import { recipient } from '../../../src/interview/sections/recipient.js';
import { baseDraft } from '../drafts.js';
import { ScriptAsk } from '../script-ask.js';

const POHJANMAA: Partner = {
  businessId: '0166906-4',
  name: { fi: 'Pohjanmaan hyvinvointialue', sv: 'Österbottens välfärdsområde' },
  municipalityCodes: ['499', '905'],
  handoverContact: { email: 'jalkihuolto@example.fi' },
  billing: { eInvoiceAddress: '003701669064', operator: 'E204503' },
};

function withPartners(partners: Partner[] | undefined) {
  const ask = new ScriptAsk([
    ['Receiving organisation', ['']],
    ['Business ID of the receiving', ['']],
    ['Do you know the receiving worker', [false]],
    ['language of the cover letter', ['']],
  ]);
  const draft = baseDraft();
  draft.youth = { ...(draft.youth ?? {}), newMunicipalityCode: '905' };
  delete draft.recipient;
  const q = new Interview({
    ask,
    lang: 'en',
    catalogue: loadCatalogue(),
    draft,
    office: { replyDays: 14, partners },
  });
  return { q, ask };
}

describe('the recipient from the partner directory', () => {
  it("proposes the area's organisation with its business ID, contact and invoicing details", async () => {
    const { q, ask } = withPartners([POHJANMAA]);
    await recipient(q);
    expect(q.draft.recipient?.organization).toMatchObject({
      name: 'Pohjanmaan hyvinvointialue',
      businessId: '0166906-4',
      municipalityCode: '905',
      email: 'jalkihuolto@example.fi',
    });
    expect(q.draft.recipient?.billing).toEqual(POHJANMAA.billing);
    expect(ask.said.join('\n')).toContain(
      'From the partner directory: Pohjanmaan hyvinvointialue (0166906-4)',
    );
  });

  it('without a directory, no business ID is proposed: the worker must type it', async () => {
    const { q, ask } = withPartners(undefined);
    await expect(recipient(q)).rejects.toThrow(/unscripted question|Business ID/);
    expect(ask.refused.some((r) => r.question.includes('Business ID'))).toBe(true);
  });
});

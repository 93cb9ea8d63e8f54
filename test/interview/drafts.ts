/** Drafts and a profile shared by the interview tests, and an interview over a scripted terminal. */
import { loadCatalogue } from '../../src/domain/catalogue.js';
import { Interview } from '../../src/interview/base.js';
import type { Draft } from '../../src/interview/scope.js';
import type { Party } from '../../src/schema/types.js';
import { type Script, ScriptAsk } from './script-ask.js';

export const PROFILE: Party = {
  organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' },
  contact: { name: 'Sari Esimerkki', email: 'sari.esimerkki@example.fi' },
  backupContact: { name: 'Timo Testaaja', phone: '+358 40 000 0003' },
};

/** Created on 20.11.2026: the dates in the scripts are relative to that day. */
export const baseDraft = (): Draft => ({
  schemaVersion: '1.0',
  id: '0b8e7f52-3c1d-4e8a-9f61-2a4b6c8d0e13',
  createdAt: '2026-11-20T10:00:00+02:00',
  language: 'en',
  services: [],
});

/** One section's questions on their own: the draft as the earlier sections left it. */
export function interview(script: Script, draft: Draft): { q: Interview; ask: ScriptAsk } {
  const ask = new ScriptAsk(script);
  return { ask, q: new Interview({ ask, lang: 'en', catalogue: loadCatalogue(), draft }) };
}

/** The format 1.1 questions answered with Enter or "no" where a test is about something else. */
export const FORMAL: Script = [
  ['Case reference', ['', '', '']],
  ['By which day', ['', '', '']],
  ['Name of the official who signs', ['Sari Esimerkki', 'Sari Esimerkki']],
  ['Title of the signatory', ['sosiaalityöntekijä', 'sosiaalityöntekijä']],
  ['Save the signatory', [false, false]],
  ['Add a decision in force', [false, false]],
  ['E-invoice address', ['', '']],
  ['E-mail for invoices', ['', '']],
  ['Reference to quote on invoices', ['', '']],
  ['Give a payment commitment', [false, false]],
];

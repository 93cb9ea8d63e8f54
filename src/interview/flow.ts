/**
 * The interview of SPEC §4 as plain logic over `Ask`: profile, the consent gate first, then
 * only the questions inside the consent scope, a summary to review, and the completed draft.
 * A question whose answer the draft already has is not asked again; a section the draft lacks
 * is asked in full. Each section lives in sections/; this is the order they are asked in.
 */
import type { Catalogue } from '../domain/catalogue.js';
import { letterLanguage } from '../domain/municipalities.js';
import type { Lang } from '../i18n/index.js';
import type { Party } from '../schema/types.js';
import type { Ask } from './ask.js';
import { type DraftCheck, Interview, type LetterLanguage, type Office, type OfficeToSave } from './base.js';
import type { Draft } from './scope.js';
import { clientPlan } from './sections/client-plan.js';
import { consentGate } from './sections/consent.js';
import { entitlement } from './sections/entitlement.js';
import { caseDetails, decisions, payment } from './sections/formal.js';
import { meeting } from './sections/meeting.js';
import { notes } from './sections/notes.js';
import { ownOrganisation } from './sections/profile.js';
import { handoverType, recipient } from './sections/recipient.js';
import { services } from './sections/services.js';
import { summary } from './sections/summary.js';
import { youth } from './sections/youth.js';

export { type DraftCheck, type DraftFinding, EXIT_INTERRUPTED, interrupted } from './base.js';
export { slot, withOffset } from './sections/meeting.js';

export interface InterviewInput {
  ask: Ask;
  lang: Lang;
  draft: Draft;
  /** The saved own organisation; asked for (and offered for saving) when incomplete. */
  profile: Party | undefined;
  catalogue: Catalogue;
  /** Back to the summary only: the questions were answered in an earlier round. */
  resume?: boolean;
  /** The letter language chosen in an earlier round. */
  letterLanguage?: LetterLanguage;
  /** The rules of the handover file, whose findings the summary lists before anything is written. */
  check?: DraftCheck;
  /** Reply days, signatory and billing from the config. */
  office?: Office;
}

export interface InterviewResult {
  draft: Draft;
  /** Set when the worker typed the own organisation and agreed to save it. */
  saveProfile?: Party;
  /** The language the cover letter should be written in. */
  letterLanguage: LetterLanguage;
  /** Signatory and billing details the worker typed and agreed to save in the config. */
  saveOffice?: OfficeToSave;
}

export async function runInterview(input: InterviewInput): Promise<InterviewResult> {
  const q = new Interview(input);
  if (input.resume ?? false) {
    await summary(q);
    return { draft: q.draft, letterLanguage: chosenLetterLanguage(q), ...saved(q) };
  }
  const saveProfile = await ownOrganisation(q, input.profile);
  await consentGate(q);
  await handoverType(q);
  await recipient(q);
  await youth(q);
  await caseDetails(q);
  if (q.inScope('entitlement')) await entitlement(q);
  await decisions(q);
  if (q.inScope('clientPlan')) await clientPlan(q);
  if (q.inScope('services')) await services(q);
  await payment(q);
  await meeting(q);
  await notes(q);
  await summary(q);
  return {
    draft: q.draft,
    ...(saveProfile ? { saveProfile } : {}),
    letterLanguage: chosenLetterLanguage(q),
    ...saved(q),
  };
}

const saved = (q: Interview): { saveOffice?: OfficeToSave } =>
  Object.keys(q.toSave).length ? { saveOffice: q.toSave } : {};

/** Chosen with the recipient; a resumed round given no earlier choice takes the municipality's language. */
function chosenLetterLanguage(q: Interview): LetterLanguage {
  return q.letterLang ?? letterLanguage(q.draft.youth?.newMunicipalityCode) ?? q.lang;
}

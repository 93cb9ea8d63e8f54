/**
 * What kinds of the youth's data a handover file carries (SPEC §9: the youth's copy lists
 * every kind that was sent, nothing left out). Derived from the members the file actually
 * has, not from the consent scope's category names: a file with an identity code, wishes
 * and the worker's notes says so, even where the scope only says "identity". Every member of
 * the schema is classified in `MEMBER_KINDS` (a test holds the table to the schema), so a
 * new member cannot slip into a file without the copy naming it.
 */
import type { Handover } from '../schema/types.js';
import { serviceCategories } from './catalogue.js';

/** In the order a young person reads them: who you are, where you live, what you want, your case. */
export const DATA_KINDS = [
  'name',
  'birthDate',
  'identityCode',
  'newMunicipality',
  'movingDate',
  'address',
  'phone',
  'email',
  'language',
  'interpreter',
  'nonDisclosure',
  'wishes',
  'wantsServices',
  'placement',
  'entitlement',
  'decisions',
  'clientPlan',
  'services',
  'health',
  'substanceUse',
  'education',
  'finances',
  'costs',
  'meeting',
  'notes',
  'consent',
  'caseReference',
  'other',
] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** Members that say nothing about the youth: the document itself, the organisations and their workers. */
type NotTheYouths = 'document';

/**
 * Each member of the file (dotted path below the top level) and the kind of the youth's data
 * it carries. A member with sub-members that differ in kind (youth, its contact, entitlement)
 * is classified member by member.
 */
export const MEMBER_KINDS: Record<string, DataKind | NotTheYouths> = {
  schemaVersion: 'document',
  id: 'document',
  type: 'document',
  createdAt: 'document',
  language: 'document',
  supersedes: 'document',
  signature: 'document',
  signatory: 'document',
  replyBy: 'document',
  sender: 'document',
  recipient: 'document',
  caseReference: 'caseReference',
  decisions: 'decisions',
  paymentCommitment: 'costs',
  consent: 'consent',
  clientPlan: 'clientPlan',
  services: 'services',
  meeting: 'meeting',
  notes: 'notes',
  'youth.name': 'name',
  'youth.birthDate': 'birthDate',
  'youth.personalIdentityCode': 'identityCode',
  'youth.newMunicipalityCode': 'newMunicipality',
  'youth.homeMunicipalityChanges': 'newMunicipality',
  'youth.movingDate': 'movingDate',
  'youth.preferredLanguage': 'language',
  'youth.contact.address': 'address',
  'youth.contact.phone': 'phone',
  'youth.contact.email': 'email',
  'youth.wishes': 'wishes',
  'youth.wantsServices': 'wantsServices',
  'youth.nonDisclosure': 'nonDisclosure',
  'youth.interpreter': 'interpreter',
  'entitlement.basis': 'placement',
  'entitlement.placementStartedOn': 'placement',
  'entitlement.placementEndedOn': 'placement',
  'entitlement.placedAlone': 'placement',
  'entitlement.lastClientOn': 'placement',
  'entitlement.endsOn': 'entitlement',
  'entitlement.discretionary': 'entitlement',
  'entitlement.policyReference': 'entitlement',
  'entitlement.extension': 'entitlement',
  'entitlement.homeMunicipalityAtEnd': 'placement',
  'entitlement.payer': 'costs',
  'entitlement.reimbursementDecision': 'costs',
};

/** Members whose own members are classified one by one. */
const SPLIT = new Set(['youth', 'youth.contact', 'entitlement']);

const present = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0);

/**
 * The kinds of the youth's data in `doc`, in reading order. A member the table does not know
 * (a format newer than this code) is `other`: the copy then says that more was sent, rather
 * than leave it out silently.
 */
export function disclosedKinds(doc: Handover): DataKind[] {
  const found = new Set<DataKind>();
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(obj)) {
      if (!present(value)) continue;
      const path = prefix + key;
      if (SPLIT.has(path) && typeof value === 'object') {
        walk(value as Record<string, unknown>, `${path}.`);
        continue;
      }
      const kind = MEMBER_KINDS[path];
      if (kind === undefined) found.add('other');
      else if (kind !== 'document') found.add(kind);
    }
  };
  walk(doc as unknown as Record<string, unknown>, '');
  // What the services and the plan's goals are about (health, substance use…) is data too.
  const tagged = [
    ...doc.services.flatMap((s) => serviceCategories(s)),
    ...(doc.clientPlan?.goals ?? []).flatMap((g) => g.categories ?? []),
  ];
  for (const c of tagged) if ((DATA_KINDS as readonly string[]).includes(c)) found.add(c as DataKind);
  if (doc.services.some((s) => s.pricing)) found.add('costs');
  return DATA_KINDS.filter((k) => found.has(k));
}

/** The own organisation (SPEC §4.1): the saved profile, or asked once and offered for saving. */
import type { Party, Person } from '../../schema/types.js';
import type { Interview } from '../base.js';

const PERSON_REACH = (p: Partial<Person>): boolean => Boolean(p.email || p.phone);

/** SPEC §4.1: the own organisation from config; when missing, asked once and offered for saving. */
export async function ownOrganisation(q: Interview, profile: Party | undefined): Promise<Party | undefined> {
  // The sender the service filled in from a profile saved by `config set` may lack its contact
  // person: asked here, at the start, not found missing at the summary.
  const p = q.draft.sender ?? profile;
  const complete = p?.organization.name && p.organization.businessId && p.contact && PERSON_REACH(p.contact);
  if (p && complete) {
    q.draft.sender = p;
    return undefined;
  }
  q.ask.say(q.m('PROFILE_INTRO'));
  const name = p?.organization.name ?? (await q.value('ORG_NAME', 'line'));
  const businessId = p?.organization.businessId ?? (await q.value('ORG_BUSINESS_ID', 'businessId'));
  const contact = await q.person('CONTACT', p?.contact);
  // Workers change: the other side must reach someone (BACKUP_CONTACT_MISSING otherwise).
  const backupContact =
    p?.backupContact ??
    ((await q.ask.confirm({ message: q.m('BACKUP_ADD'), default: true }))
      ? await q.person('BACKUP')
      : undefined);
  const sender: Party = {
    ...(p ?? {}),
    organization: { ...(p?.organization ?? {}), name, businessId },
    contact,
    ...(backupContact ? { backupContact } : {}),
  };
  q.draft.sender = sender;
  return (await q.ask.confirm({ message: q.m('PROFILE_SAVE'), default: true })) ? sender : undefined;
}

/** From the summary: our own contact and the backup contact, with what they hold as defaults. */
export async function senderContacts(q: Interview): Promise<void> {
  const sender = q.draft.sender;
  if (!sender) return;
  const contact = await q.person('CONTACT', sender.contact, true);
  const backupContact = (await q.ask.confirm({
    message: q.m('BACKUP_ADD'),
    default: true,
  }))
    ? await q.person('BACKUP', sender.backupContact, true)
    : undefined;
  const { backupContact: _dropped, ...rest } = sender;
  q.draft.sender = { ...rest, contact, ...(backupContact ? { backupContact } : {}) };
}

/** What is handed over, and to whom (SPEC §4.4): the municipality, its organiser, the letter language. */
import {
  byCode,
  isBilingual,
  letterLanguage,
  type Municipality,
  searchMunicipalities,
} from '../../domain/municipalities.js';
import { organiserName, organiserOf } from '../../domain/organisers.js';
import type { Lang } from '../../i18n/index.js';
import type { Interview } from '../base.js';

export async function handoverType(q: Interview): Promise<void> {
  if (q.draft.type) return;
  q.draft.type = await q.choose('TYPE', ['aftercare', 'integration-support'] as const, 'aftercare');
}

/** SPEC §4.4: the municipality the youth moves to, by Finnish or Swedish name or by code. */
export async function recipient(q: Interview, force = false): Promise<void> {
  let code = q.draft.youth?.newMunicipalityCode ?? q.draft.recipient?.organization?.municipalityCode;
  if (!code || force || !byCode(code)) {
    code = await q.ask.search<string>({
      message: q.m('MUNICIPALITY'),
      // Editing from the summary: with nothing typed yet, the current municipality comes first, so Enter keeps it.
      source: (term) =>
        withCurrentFirst(searchMunicipalities(term ?? ''), term ? undefined : code)
          .slice(0, 12)
          .map((m) => ({
            value: m.code,
            name: municipalityLabel(m, q.lang),
            description: organiserLabel(m.code, q.lang) ?? q.m('MUNICIPALITY_NO_ORGANISER'),
          })),
    });
  }
  q.draft.youth = { ...(q.draft.youth ?? {}), newMunicipalityCode: code };
  const org = q.draft.recipient?.organization;
  if (!org?.name || !org.businessId || force) {
    // A new municipality proposes its own organiser, named in the worker's language (SPEC §4.10).
    const moved = org?.municipalityCode !== undefined && org.municipalityCode !== code;
    const there = organiserOf(code);
    // The partner directory knows the organiser of the area with its business ID (SPEC §13).
    const partner = q.office.partners?.find((p) => p.municipalityCodes?.includes(code));
    const partnerName = partner ? (partner.name[q.lang] ?? partner.name.fi) : undefined;
    const proposed =
      (!moved && org?.name) || partnerName || (there ? organiserName(there, q.lang) : undefined);
    const name = await q.value('RECIPIENT_NAME', 'line', proposed);
    const sameOrganiser = there !== undefined && (name === there.name_fi || name === there.name_sv);
    const samePartner = partner !== undefined && Object.values(partner.name).includes(name);
    const businessId = await q.value(
      'RECIPIENT_BUSINESS_ID',
      'businessId',
      (!moved && org?.businessId) ||
        (samePartner ? partner.businessId : undefined) ||
        (sameOrganiser ? there.businessId : undefined),
    );
    const listed = partner?.businessId === businessId ? partner : undefined;
    q.draft.recipient = {
      ...(q.draft.recipient ?? {}),
      organization: {
        ...(listed?.handoverContact?.email ? { email: listed.handoverContact.email } : {}),
        ...(listed?.handoverContact?.phone ? { phone: listed.handoverContact.phone } : {}),
        ...(org ?? {}),
        name,
        businessId,
        municipalityCode: code,
      },
      ...(listed?.billing && !q.draft.recipient?.billing ? { billing: listed.billing } : {}),
    };
    if (listed) q.ask.say(q.m('RECIPIENT_FROM_DIRECTORY', { name, businessId }));
    const known = q.draft.recipient.contact;
    if (!known || force) {
      if (await q.ask.confirm({ message: q.m('RECIPIENT_CONTACT_KNOWN'), default: known !== undefined }))
        q.draft.recipient.contact = await q.person('RECIPIENT_CONTACT', known, true);
      else delete q.draft.recipient.contact;
    }
  }
  // A language chosen earlier stays the proposal while the municipality stays bilingual.
  const proposedLang =
    q.letterLang === 'fi' || q.letterLang === 'sv' ? q.letterLang : (letterLanguage(code) ?? 'fi');
  q.letterLang = isBilingual(code)
    ? await q.choose('LETTER_LANGUAGE', ['fi', 'sv'] as const, proposedLang)
    : (letterLanguage(code) ?? 'fi');
  q.ask.say(q.m('LETTER_LANGUAGE_IS', { lang: q.m(`LETTER_LANGUAGE__${q.letterLang}`) }));
}

/** Both names, the worker's language first: "Vasa – Vaasa (905)" in Swedish. */
function municipalityLabel(m: { code: string; name_fi: string; name_sv: string }, lang: Lang): string {
  if (m.name_fi === m.name_sv) return `${m.name_fi} (${m.code})`;
  const [a, b] = lang === 'sv' ? [m.name_sv, m.name_fi] : [m.name_fi, m.name_sv];
  return `${a} – ${b} (${m.code})`;
}

function withCurrentFirst(list: Municipality[], current: string | undefined): Municipality[] {
  const hit = byCode(current);
  return hit ? [hit, ...list.filter((m) => m.code !== hit.code)] : list;
}

const organiserLabel = (code: string, lang: Lang): string | undefined => {
  const o = organiserOf(code);
  return o ? organiserName(o, lang) : undefined;
};

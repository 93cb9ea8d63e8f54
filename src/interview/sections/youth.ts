/** The youth: identity is always in scope, so it is always asked; the contact details only with consent for them. */
import { formatDateFi } from '../../domain/dates.js';
import { hetuBirthDate } from '../../domain/hetu.js';
import type { Interview } from '../base.js';
import type { Draft } from '../scope.js';

type Youth = NonNullable<Draft['youth']>;

export async function youth(q: Interview, force = false): Promise<void> {
  const y: Youth = q.draft.youth ?? {};
  const full = force || q.draft.youth?.name === undefined;
  const given = !force && y.name?.given ? y.name.given : await q.value('YOUTH_GIVEN', 'line', y.name?.given);
  const family =
    !force && y.name?.family ? y.name.family : await q.value('YOUTH_FAMILY', 'line', y.name?.family);
  y.name = { given, family };
  if (full || (y.personalIdentityCode === undefined && y.birthDate === undefined)) {
    const code = await q.ask.text({
      message: `${q.m('YOUTH_HETU')} ${q.m('OPTIONAL')}`,
      ...(y.personalIdentityCode ? { default: y.personalIdentityCode } : {}),
      validate: (s) =>
        s.trim() === '' || hetuBirthDate(s.trim().toUpperCase(), q.today) ? true : q.m('CHECK_hetu'),
    });
    if (code.trim() === '') delete y.personalIdentityCode;
    else y.personalIdentityCode = code.trim().toUpperCase();
  }
  const fromCode = y.personalIdentityCode ? hetuBirthDate(y.personalIdentityCode) : undefined;
  if (fromCode) {
    y.birthDate = fromCode;
    q.ask.say(q.m('YOUTH_BIRTHDATE_FROM_HETU', { date: formatDateFi(fromCode) }));
  } else if (full || !y.birthDate) {
    y.birthDate = await q.date('YOUTH_BIRTHDATE', {
      ...(y.birthDate ? { def: y.birthDate } : {}),
      notAfter: q.today,
    });
  }
  if (full) {
    const moving = await q.date('YOUTH_MOVING_DATE', {
      optional: true,
      ...(y.movingDate ? { def: y.movingDate } : {}),
    });
    if (moving) y.movingDate = moving;
    const pref = await q.language('YOUTH_LANGUAGE', y.preferredLanguage ?? q.lang);
    if (pref) y.preferredLanguage = pref;
    const interpreter = await q.language('YOUTH_INTERPRETER', y.interpreter);
    if (interpreter) y.interpreter = interpreter;
    y.nonDisclosure = await q.ask.confirm({
      message: q.m('YOUTH_NON_DISCLOSURE'),
      default: y.nonDisclosure ?? false,
    });
    // Turvakielto covers every contact detail and the place of residence (661/2009 36 §): the
    // file travels inside the letter, so none is asked, and the worker is told why.
    if (y.nonDisclosure) {
      delete y.contact;
      q.ask.say(q.m('YOUTH_NON_DISCLOSURE_NOTE'));
    } else if (q.inScope('contact')) await youthContact(q, y);
    // A 1.2 question: an older draft (a back office's 1.0 or 1.1) is completed in its own version.
    const version = q.draft.schemaVersion as string | undefined;
    const older = version === '1.0' || version === '1.1';
    if (q.draft.type !== 'integration-support' && !older)
      y.homeMunicipalityChanges = await q.ask.confirm({
        message: q.m('YOUTH_HOME_CHANGES'),
        default: y.homeMunicipalityChanges ?? true,
      });
    y.wantsServices = await q.choose(
      'YOUTH_WANTS',
      ['yes', 'no', 'undecided'] as const,
      y.wantsServices ?? 'yes',
    );
    const wishes = await q.optional('YOUTH_WISHES', 'text', y.wishes);
    if (wishes) y.wishes = wishes;
    else delete y.wishes;
  }
  q.draft.youth = y;
}

async function youthContact(q: Interview, y: Youth): Promise<void> {
  const c = { ...(y.contact ?? {}) };
  const phone = await q.optional('YOUTH_PHONE', 'phone', c.phone);
  const email = await q.optional('YOUTH_EMAIL', 'email', c.email);
  if (phone) c.phone = phone;
  if (email) c.email = email;
  {
    const street = await q.optional('YOUTH_STREET', 'line', c.address?.street);
    if (street) {
      const postalCode = await q.value('YOUTH_POSTAL_CODE', 'postalCode', c.address?.postalCode);
      const city = await q.value('YOUTH_CITY', 'line', c.address?.city);
      c.address = { street, postalCode, city };
    }
  }
  if (Object.keys(c).length > 0) y.contact = c;
}

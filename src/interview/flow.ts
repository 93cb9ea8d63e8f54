/**
 * The interview of SPEC §4 as plain logic over `Ask`: profile, the consent gate first, then
 * only the questions inside the consent scope, a summary to review, and the completed draft.
 * A question whose answer the draft already has is not asked again; a section the draft lacks
 * is asked in full.
 */
import { type Catalogue, serviceCategories } from '../domain/catalogue.js';
import { compareDates, formatDateFi, helsinkiDate } from '../domain/dates.js';
import { hetuBirthDate } from '../domain/hetu.js';
import { lastDayOfRight } from '../domain/law.js';
import {
  byCode,
  isBilingual,
  letterLanguage,
  organiser,
  searchMunicipalities,
} from '../domain/municipalities.js';
import { checkValue, parseDateInput, type ValueKind } from '../domain/values.js';
import { EXIT, type ExitCode, HandoverError } from '../errors.js';
import { type Lang, t } from '../i18n/index.js';
import type { Category, Handover, Party, Person } from '../schema/types.js';
import type { Ask, Choice } from './ask.js';
import { youthIsMinor } from './missing.js';
import { CATEGORIES, type Draft, pruneToScope, TAG_CATEGORIES } from './scope.js';

/** Ctrl-C or "cancel" in the summary: the conventional exit of an interrupted program. */
export const EXIT_INTERRUPTED: ExitCode = EXIT.interrupted;

export const interrupted = (): HandoverError =>
  new HandoverError('INTERRUPTED', EXIT_INTERRUPTED, { key: 'interview.INTERRUPTED' });

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
  letterLanguage?: 'fi' | 'sv' | 'en';
}

export interface InterviewResult {
  draft: Draft;
  /** Set when the worker typed the own organisation and agreed to save it. */
  saveProfile?: Party;
  /** The language the cover letter should be written in. */
  letterLanguage: 'fi' | 'sv' | 'en';
}

type Service = Handover['services'][number];
type Youth = NonNullable<Draft['youth']>;

export async function runInterview(input: InterviewInput): Promise<InterviewResult> {
  const q = new Questions(input);
  return q.run(input.resume ?? false);
}

const PERSON_REACH = (p: Partial<Person>): boolean => Boolean(p.email || p.phone);

class Questions {
  private readonly ask: Ask;
  private readonly lang: Lang;
  private readonly catalogue: Catalogue;
  private d: Draft;
  private profile: Party | undefined;
  private letterLang: 'fi' | 'sv' | 'en' | undefined;

  constructor(input: InterviewInput) {
    this.ask = input.ask;
    this.lang = input.lang;
    this.catalogue = input.catalogue;
    this.d = structuredClone(input.draft);
    this.profile = input.profile;
    this.letterLang = input.letterLanguage;
  }

  private m(key: string, vars: Record<string, string | number> = {}): string {
    return t(`interview.${key}`, this.lang, vars);
  }

  private get today(): string {
    return helsinkiDate(this.d.createdAt) ?? new Date().toISOString().slice(0, 10);
  }

  private get scope(): Category[] {
    return this.d.consent?.scope ?? ['identity'];
  }

  private inScope(c: Category): boolean {
    return this.scope.includes(c);
  }

  // ── answer helpers ────────────────────────────────────────────────────────────────

  private check(kind: ValueKind, v: string): string | true {
    const p = checkValue(kind, v);
    return p ? this.m(p.reason, p.vars) : true;
  }

  private async value(key: string, kind: ValueKind, def?: string, vars: Record<string, string> = {}) {
    const v = await this.ask.text({
      message: this.m(key, vars),
      ...(def !== undefined ? { default: def } : {}),
      validate: (s) => this.check(kind, s.trim()),
    });
    return v.trim();
  }

  /** An optional value: an empty answer leaves it out. */
  private async optional(key: string, kind: ValueKind, def?: string): Promise<string | undefined> {
    const v = await this.ask.text({
      message: `${this.m(key)} ${this.m('OPTIONAL')}`,
      ...(def !== undefined ? { default: def } : {}),
      validate: (s) => (s.trim() === '' ? true : this.check(kind, s.trim())),
    });
    return v.trim() === '' ? undefined : v.trim();
  }

  private async date(
    key: string,
    o: { def?: string; optional?: boolean; notBefore?: string; notAfter?: string } = {},
  ): Promise<string | undefined> {
    const v = await this.ask.text({
      message: o.optional ? `${this.m(key)} ${this.m('OPTIONAL')}` : this.m(key),
      ...(o.def ? { default: formatDateFi(o.def) } : {}),
      validate: (s) => {
        if (o.optional && s.trim() === '') return true;
        const iso = parseDateInput(s);
        if (!iso) return this.m('CHECK_date');
        if (o.notBefore && compareDates(iso, o.notBefore) < 0)
          return this.m('DATE_NOT_BEFORE', { date: formatDateFi(o.notBefore) });
        if (o.notAfter && compareDates(iso, o.notAfter) > 0)
          return this.m('DATE_NOT_AFTER', { date: formatDateFi(o.notAfter) });
        return true;
      },
    });
    return v.trim() === '' ? undefined : parseDateInput(v);
  }

  private choose<T extends string>(key: string, values: readonly T[], def?: T): Promise<T> {
    return this.ask.select<T>({
      message: this.m(key),
      choices: values.map((v) => ({ value: v, name: this.m(`${key}__${v}`) })),
      ...(def !== undefined ? { default: def } : {}),
    });
  }

  private async person(prefix: string, current?: Partial<Person>): Promise<Person> {
    const name = current?.name ?? (await this.value(`${prefix}_NAME`, 'line'));
    const title = current ? current.title : await this.optional(`${prefix}_TITLE`, 'line');
    let email = current?.email;
    let phone = current?.phone;
    while (!email && !phone) {
      email = await this.optional(`${prefix}_EMAIL`, 'email');
      phone = await this.optional(`${prefix}_PHONE`, 'phone');
      if (!email && !phone) this.ask.say(this.m('CHECK_reach'));
    }
    return { name, ...(title ? { title } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
  }

  // ── the flow ──────────────────────────────────────────────────────────────────────

  async run(resume = false): Promise<InterviewResult> {
    if (resume) {
      await this.summary();
      return { draft: this.d, letterLanguage: this.letterLang ?? this.defaultLetterLanguage() };
    }
    const saveProfile = await this.ownOrganisation();
    await this.consentGate();
    await this.handoverType();
    await this.recipient();
    await this.youth();
    if (this.inScope('entitlement')) await this.entitlement();
    if (this.inScope('clientPlan')) await this.clientPlan();
    if (this.inScope('services')) await this.services();
    await this.meeting();
    await this.notes();
    await this.summary();
    return {
      draft: this.d,
      ...(saveProfile ? { saveProfile } : {}),
      letterLanguage: this.letterLang ?? this.defaultLetterLanguage(),
    };
  }

  private defaultLetterLanguage(): 'fi' | 'sv' | 'en' {
    return letterLanguage(this.d.youth?.newMunicipalityCode) ?? this.lang;
  }

  /** SPEC §4.1: the own organisation from config; when missing, asked once and offered for saving. */
  private async ownOrganisation(): Promise<Party | undefined> {
    if (this.d.sender) return undefined;
    const p = this.profile;
    const complete =
      p?.organization.name && p.organization.businessId && p.contact && PERSON_REACH(p.contact);
    if (p && complete) {
      this.d.sender = p;
      return undefined;
    }
    this.ask.say(this.m('PROFILE_INTRO'));
    const name = p?.organization.name ?? (await this.value('ORG_NAME', 'line'));
    const businessId = p?.organization.businessId ?? (await this.value('ORG_BUSINESS_ID', 'businessId'));
    const contact = await this.person('CONTACT', p?.contact);
    // Workers change: the other side must reach someone (BACKUP_CONTACT_MISSING otherwise).
    const backupContact =
      p?.backupContact ??
      ((await this.ask.confirm({ message: this.m('BACKUP_ADD'), default: true }))
        ? await this.person('BACKUP')
        : undefined);
    const sender: Party = {
      ...(p ?? {}),
      organization: { ...(p?.organization ?? {}), name, businessId },
      contact,
      ...(backupContact ? { backupContact } : {}),
    };
    this.d.sender = sender;
    return (await this.ask.confirm({ message: this.m('PROFILE_SAVE'), default: true })) ? sender : undefined;
  }

  /** SPEC §4.2: consent, or a statutory basis, or stop (exit 3) before anything else is asked. */
  private async consentGate(): Promise<void> {
    const prefilled = this.d.consent;
    if (prefilled?.basis && prefilled.recordedBy && prefilled.scope?.length) {
      this.ask.say(this.consentSummary(prefilled));
      if (await this.ask.confirm({ message: this.m('CONSENT_PREFILLED_OK'), default: true })) return;
    }
    const choice = await this.ask.select<'consent' | 'statutory' | 'none'>({
      message: this.m('CONSENT_GIVEN'),
      choices: [
        { value: 'consent', name: this.m('CONSENT_GIVEN__yes') },
        { value: 'statutory', name: this.m('CONSENT_GIVEN__statutory') },
        { value: 'none', name: this.m('CONSENT_GIVEN__none') },
      ],
    });
    if (choice === 'none') {
      throw new HandoverError('CONSENT_GATE_CLOSED', EXIT.consentClosed, {
        key: 'interview.CONSENT_GATE_CLOSED',
      });
    }
    const recorder = this.d.sender?.contact?.name;
    const c: NonNullable<Draft['consent']> = { basis: choice };
    if (choice === 'consent') {
      c.method = await this.choose(
        'CONSENT_METHOD',
        ['written', 'oral', 'electronic'] as const,
        prefilled?.method,
      );
      c.givenOn = await this.date('CONSENT_DATE', {
        def: prefilled?.givenOn ?? this.today,
        notAfter: this.today,
      });
      if (youthIsMinor(this.d) !== false)
        c.givenBy = await this.choose(
          'CONSENT_BY',
          ['youth', 'guardian', 'youth-and-guardian'] as const,
          prefilled?.givenBy ?? 'youth',
        );
    } else {
      c.statutoryReference = await this.value(
        'STATUTORY_REFERENCE',
        'line',
        prefilled?.statutoryReference ?? 'LsL 25 d §',
      );
    }
    c.recordedBy = await this.value('CONSENT_RECORDED_BY', 'line', prefilled?.recordedBy ?? recorder);
    const before = prefilled?.scope ?? [];
    const picked = await this.ask.checkbox<Category>({
      message: this.m(choice === 'consent' ? 'SCOPE_CONSENT' : 'SCOPE_STATUTORY'),
      choices: CATEGORIES.filter((x) => x !== 'identity').map((x) => ({
        value: x,
        name: this.m(`CATEGORY__${x}`),
        checked: before.includes(x),
      })),
    });
    c.scope = ['identity', ...CATEGORIES.filter((x) => x !== 'identity' && picked.includes(x))];
    this.ask.say(this.m('SCOPE_IDENTITY_ALWAYS'));
    this.d.consent = c;
    this.applyScope();
  }

  private applyScope(): void {
    const r = pruneToScope(this.d, this.scope, (code) => serviceCategories({ code }, this.catalogue));
    this.d = r.draft;
    for (const x of r.removed)
      this.ask.say(
        this.m('SCOPE_REMOVED', { pointer: x.pointer, category: this.m(`CATEGORY__${x.category}`) }),
      );
  }

  private consentSummary(c: Partial<Handover['consent']>): string {
    const lines = [this.m('CONSENT_PREFILLED')];
    lines.push(
      `  ${this.m('CONSENT_GIVEN')}: ${this.m(c.basis === 'statutory' ? 'CONSENT_GIVEN__statutory' : 'CONSENT_GIVEN__yes')}`,
    );
    if (c.method) lines.push(`  ${this.m('CONSENT_METHOD')}: ${this.m(`CONSENT_METHOD__${c.method}`)}`);
    if (c.givenOn) lines.push(`  ${this.m('CONSENT_DATE')}: ${formatDateFi(c.givenOn)}`);
    if (c.givenBy) lines.push(`  ${this.m('CONSENT_BY')}: ${this.m(`CONSENT_BY__${c.givenBy}`)}`);
    if (c.statutoryReference) lines.push(`  ${this.m('STATUTORY_REFERENCE')}: ${c.statutoryReference}`);
    if (c.recordedBy) lines.push(`  ${this.m('CONSENT_RECORDED_BY')}: ${c.recordedBy}`);
    lines.push(`  ${this.m('SCOPE')}: ${(c.scope ?? []).map((x) => this.m(`CATEGORY__${x}`)).join(', ')}`);
    return lines.join('\n');
  }

  private async handoverType(): Promise<void> {
    if (this.d.type) return;
    this.d.type = await this.choose('TYPE', ['aftercare', 'integration-support'] as const, 'aftercare');
  }

  /** SPEC §4.4: the municipality the youth moves to, by Finnish or Swedish name or by code. */
  private async recipient(force = false): Promise<void> {
    let code = this.d.youth?.newMunicipalityCode ?? this.d.recipient?.organization?.municipalityCode;
    if (!code || force || !byCode(code)) {
      code = await this.ask.search<string>({
        message: this.m('MUNICIPALITY'),
        source: (term) =>
          searchMunicipalities(term ?? '')
            .slice(0, 12)
            .map((m) => ({
              value: m.code,
              name: municipalityLabel(m, this.lang),
              description: m.wellbeing_county ?? this.m('MUNICIPALITY_NO_ORGANISER'),
            })),
      });
    }
    this.d.youth = { ...(this.d.youth ?? {}), newMunicipalityCode: code };
    const org = this.d.recipient?.organization;
    if (!org?.name || !org.businessId || force) {
      const proposed = org?.name ?? organiser(code) ?? undefined;
      const name = await this.value('RECIPIENT_NAME', 'line', proposed);
      const businessId = await this.value('RECIPIENT_BUSINESS_ID', 'businessId', org?.businessId);
      this.d.recipient = {
        ...(this.d.recipient ?? {}),
        organization: { ...(org ?? {}), name, businessId, municipalityCode: code },
      };
      if (
        !this.d.recipient.contact &&
        (await this.ask.confirm({ message: this.m('RECIPIENT_CONTACT_KNOWN'), default: false }))
      )
        this.d.recipient.contact = await this.person('RECIPIENT_CONTACT');
    }
    const proposedLang = letterLanguage(code) ?? 'fi';
    this.letterLang = isBilingual(code)
      ? await this.choose('LETTER_LANGUAGE', ['fi', 'sv'] as const, proposedLang)
      : proposedLang;
    this.ask.say(this.m('LETTER_LANGUAGE_IS', { lang: this.m(`LETTER_LANGUAGE__${this.letterLang}`) }));
  }

  private async youth(force = false): Promise<void> {
    const y: Youth = this.d.youth ?? {};
    const full = force || this.d.youth?.name === undefined;
    const given =
      !force && y.name?.given ? y.name.given : await this.value('YOUTH_GIVEN', 'line', y.name?.given);
    const family =
      !force && y.name?.family ? y.name.family : await this.value('YOUTH_FAMILY', 'line', y.name?.family);
    y.name = { given, family };
    if (full || (y.personalIdentityCode === undefined && y.birthDate === undefined)) {
      const code = await this.ask.text({
        message: `${this.m('YOUTH_HETU')} ${this.m('OPTIONAL')}`,
        ...(y.personalIdentityCode ? { default: y.personalIdentityCode } : {}),
        validate: (s) =>
          s.trim() === '' || hetuBirthDate(s.trim().toUpperCase(), this.today) ? true : this.m('CHECK_hetu'),
      });
      if (code.trim() === '') delete y.personalIdentityCode;
      else y.personalIdentityCode = code.trim().toUpperCase();
    }
    const fromCode = y.personalIdentityCode ? hetuBirthDate(y.personalIdentityCode) : undefined;
    if (fromCode) {
      y.birthDate = fromCode;
      this.ask.say(this.m('YOUTH_BIRTHDATE_FROM_HETU', { date: formatDateFi(fromCode) }));
    } else if (full || !y.birthDate) {
      y.birthDate = await this.date('YOUTH_BIRTHDATE', {
        ...(y.birthDate ? { def: y.birthDate } : {}),
        notAfter: this.today,
      });
    }
    if (full) {
      const moving = await this.date('YOUTH_MOVING_DATE', {
        optional: true,
        ...(y.movingDate ? { def: y.movingDate } : {}),
      });
      if (moving) y.movingDate = moving;
      const pref = await this.optional('YOUTH_LANGUAGE', 'isoLang', y.preferredLanguage ?? this.lang);
      if (pref) y.preferredLanguage = pref;
      const interpreter = await this.optional('YOUTH_INTERPRETER', 'isoLang', y.interpreter);
      if (interpreter) y.interpreter = interpreter;
      y.nonDisclosure = await this.ask.confirm({
        message: this.m('YOUTH_NON_DISCLOSURE'),
        default: y.nonDisclosure ?? false,
      });
      if (this.inScope('contact')) await this.youthContact(y);
      y.wantsServices = await this.choose(
        'YOUTH_WANTS',
        ['yes', 'no', 'undecided'] as const,
        y.wantsServices ?? 'yes',
      );
      const wishes = await this.optional('YOUTH_WISHES', 'text', y.wishes);
      if (wishes) y.wishes = wishes;
      else delete y.wishes;
    }
    this.d.youth = y;
  }

  private async youthContact(y: Youth): Promise<void> {
    const c = { ...(y.contact ?? {}) };
    const phone = await this.optional('YOUTH_PHONE', 'phone', c.phone);
    const email = await this.optional('YOUTH_EMAIL', 'email', c.email);
    if (phone) c.phone = phone;
    if (email) c.email = email;
    if (!y.nonDisclosure) {
      const street = await this.optional('YOUTH_STREET', 'line', c.address?.street);
      if (street) {
        const postalCode = await this.value('YOUTH_POSTAL_CODE', 'postalCode', c.address?.postalCode);
        const city = await this.value('YOUTH_CITY', 'line', c.address?.city);
        c.address = { street, postalCode, city };
      }
    } else delete c.address;
    if (Object.keys(c).length > 0) y.contact = c;
  }

  /** The end date comes from the law table; the worker may shorten it, or go beyond it only with a policy. */
  private async entitlement(): Promise<void> {
    const prev = this.d.entitlement;
    if (prev?.basis && prev.placementEndedOn && prev.endsOn && prev.payer) return;
    const type = this.d.type ?? 'aftercare';
    const basis =
      type === 'integration-support'
        ? 'unaccompanied-minor'
        : await this.choose(
            'ENT_BASIS',
            ['custody-placement', 'open-care-placement'] as const,
            prev?.basis === 'open-care-placement' ? 'open-care-placement' : 'custody-placement',
          );
    const e: Partial<NonNullable<Draft['entitlement']>> = { ...(prev ?? {}), basis };
    const started = await this.date('ENT_STARTED', {
      optional: true,
      ...(e.placementStartedOn ? { def: e.placementStartedOn } : {}),
      notAfter: this.today,
    });
    if (started) e.placementStartedOn = started;
    e.placementEndedOn = await this.date('ENT_ENDED', {
      ...(e.placementEndedOn ? { def: e.placementEndedOn } : {}),
      ...(started ? { notBefore: started } : {}),
    });
    if (basis === 'open-care-placement')
      e.placedAlone = await this.ask.confirm({
        message: this.m('ENT_PLACED_ALONE'),
        default: e.placedAlone ?? true,
      });
    const lastClient = await this.date('ENT_LAST_CLIENT', {
      optional: true,
      ...(e.lastClientOn ? { def: e.lastClientOn } : {}),
      notBefore: e.placementEndedOn!,
    });
    if (lastClient) e.lastClientOn = lastClient;
    const law = lastDayOfRight({
      type,
      birthDate: this.d.youth?.birthDate,
      createdAt: this.d.createdAt,
      placementEndedOn: e.placementEndedOn,
      lastClientOn: e.lastClientOn,
    });
    const limit = law?.lastDay;
    if (limit)
      this.ask.say(
        this.m(`ENT_LAW_LIMIT__${law.limitingFactor}`, { date: formatDateFi(limit), age: law.row.ageLimit }),
      );
    let proposal = e.endsOn ?? limit;
    for (;;) {
      const ends = (await this.date('ENT_ENDS', {
        ...(proposal ? { def: proposal } : {}),
        notBefore: e.placementEndedOn!,
      }))!;
      // After a refused date the law's own date is proposed again, not the refused one.
      proposal = limit;
      e.endsOn = ends;
      delete e.discretionary;
      delete e.policyReference;
      if (!limit || compareDates(ends, limit) <= 0) break;
      this.ask.say(this.m('ENT_BEYOND_LAW', { date: formatDateFi(limit) }));
      if (!(await this.ask.confirm({ message: this.m('ENT_DISCRETIONARY'), default: false }))) continue;
      const policyReference = await this.value('ENT_POLICY', 'line');
      const lifted = lastDayOfRight({
        type,
        birthDate: this.d.youth?.birthDate,
        createdAt: this.d.createdAt,
        placementEndedOn: e.placementEndedOn,
        lastClientOn: e.lastClientOn,
        discretionary: true,
        policyReference,
      });
      if (lifted && compareDates(ends, lifted.lastDay) <= 0) {
        e.discretionary = true;
        e.policyReference = policyReference;
        break;
      }
      this.ask.say(this.m('ENT_BEYOND_DISCRETIONARY', { date: formatDateFi(lifted?.lastDay ?? limit) }));
    }
    e.payer = await this.choose('ENT_PAYER', ['sender', 'recipient'] as const, e.payer ?? 'sender');
    if (type === 'integration-support') {
      const decision = await this.optional('ENT_REIMBURSEMENT', 'line', e.reimbursementDecision);
      if (decision) e.reimbursementDecision = decision;
    }
    this.d.entitlement = e as NonNullable<Draft['entitlement']>;
  }

  private tagChoices(): Category[] {
    return TAG_CATEGORIES.filter((c) => this.inScope(c));
  }

  private async clientPlan(force = false): Promise<void> {
    if (this.d.clientPlan && !force) return;
    if (!force && !(await this.ask.confirm({ message: this.m('PLAN_EXISTS'), default: true }))) return;
    const date = (await this.date('PLAN_DATE', {
      ...(this.d.clientPlan?.date ? { def: this.d.clientPlan.date } : {}),
      notAfter: this.today,
    }))!;
    const review = await this.date('PLAN_REVIEW', { optional: true, notBefore: date });
    const goals: NonNullable<Draft['clientPlan']>['goals'] = [];
    for (let i = 1; i <= 100; i++) {
      const text = await this.optional(i === 1 ? 'PLAN_GOAL_FIRST' : 'PLAN_GOAL_NEXT', 'text');
      if (!text) break;
      const tags = this.tagChoices();
      const categories = tags.length
        ? await this.ask.checkbox<Category>({
            message: this.m('PLAN_GOAL_TAGS'),
            choices: tags.map((c) => ({ value: c, name: this.m(`CATEGORY__${c}`) })),
          })
        : [];
      goals.push({ id: `g${i}`, text, ...(categories.length ? { categories } : {}) });
    }
    this.d.clientPlan = { date, ...(review ? { reviewDue: review } : {}), goals };
  }

  /** Services from the catalogue, only those whose categories the consent covers. */
  private async services(force = false): Promise<void> {
    if (this.d.services && this.d.services.length > 0 && !force) return;
    const services: Service[] = [];
    const allowed = [...this.catalogue.values()].filter((e) => e.categories.every((c) => this.inScope(c)));
    const lang = this.lang;
    while (
      services.length < 200 &&
      (await this.ask.confirm({
        message: this.m(services.length ? 'SERVICE_ADD_MORE' : 'SERVICE_ADD'),
        default: services.length === 0,
      }))
    ) {
      const code = await this.ask.select<string>({
        message: this.m('SERVICE_CODE'),
        choices: allowed.map((e) => ({
          value: e.code,
          name: `${e.name[lang]} · ${this.m(`CLASS__${e.classification}`)}`,
        })),
      });
      services.push(await this.service(code, services.length + 1));
    }
    this.d.services = services;
  }

  private async service(code: string, n: number): Promise<Service> {
    const entry = this.catalogue.get(code)!;
    const reasons: string[] = [];
    const classification = await this.choose(
      'SERVICE_CLASS',
      ['aftercare', 'basic', 'needs-agreement'] as const,
      entry.classification,
    );
    if (classification !== entry.classification)
      reasons.push(
        await this.value('SERVICE_CHANGE_REASON', 'line', undefined, {
          what: this.m(`CLASS__${classification}`),
        }),
      );
    const provider = await this.choose(
      'SERVICE_PROVIDER',
      ['recipient', 'sender', 'purchased'] as const,
      'recipient',
    );
    const fixedPayer = classification === 'aftercare' ? this.d.entitlement?.payer : undefined;
    const defaultPayer =
      fixedPayer ??
      (classification === 'aftercare' ? 'sender' : classification === 'basic' ? 'recipient' : 'undecided');
    let payer: Service['payer'] = defaultPayer;
    if (fixedPayer)
      this.ask.say(this.m('SERVICE_PAYER_FIXED', { payer: this.m(`SERVICE_PAYER__${fixedPayer}`) }));
    else {
      const payers =
        classification === 'needs-agreement'
          ? (['undecided', 'sender', 'recipient'] as const)
          : (['sender', 'recipient'] as const);
      payer = await this.choose('SERVICE_PAYER', payers, defaultPayer);
      if (payer !== defaultPayer)
        reasons.push(
          await this.value('SERVICE_CHANGE_REASON', 'line', undefined, {
            what: this.m(`SERVICE_PAYER__${payer}`),
          }),
        );
    }
    const s: Service = { id: `s${n}`, code, classification, provider, payer };
    const billedAcross = payer !== 'undecided' && provider !== payer;
    if (billedAcross) {
      this.ask.say(this.m('SERVICE_PRICE_NEEDED'));
      const unit = await this.choose('SERVICE_UNIT', ['hour', 'visit', 'month', 'lump-sum'] as const, 'hour');
      const price = await this.value('SERVICE_PRICE', 'euro');
      const units = await this.optional('SERVICE_UNITS', 'positive');
      s.pricing = {
        unit,
        unitPriceEur: Number(price.replace(',', '.')),
        ...(units ? { estimatedUnits: Number(units.replace(',', '.')) } : {}),
      };
    }
    const from = await this.date('SERVICE_FROM', { optional: true });
    if (from) {
      const to = await this.date('SERVICE_TO', { optional: true, notBefore: from });
      s.period = { from, ...(to ? { to } : {}) };
    }
    const goals = this.d.clientPlan?.goals ?? [];
    if (goals.length) {
      const goal = await this.ask.select<string>({
        message: this.m('SERVICE_GOAL'),
        choices: [
          { value: '', name: this.m('SERVICE_GOAL__none') },
          ...goals.map((g) => ({ value: g.id, name: g.text.slice(0, 70) })),
        ],
        ...(classification === 'aftercare' && goals[0] ? { default: goals[0].id } : {}),
      });
      if (goal) s.clientPlanGoal = goal;
    }
    const extra = await this.optional('SERVICE_DESCRIPTION', 'text');
    const description = [...reasons, ...(extra ? [extra] : [])].join(' — ');
    if (description) s.description = description.slice(0, 2000);
    return s;
  }

  private async meeting(force = false): Promise<void> {
    if (this.d.meeting && !force) return;
    if (!(await this.ask.confirm({ message: this.m('MEETING_PROPOSE'), default: true }))) {
      delete this.d.meeting;
      return;
    }
    const slots: { start: string; end: string }[] = [];
    do {
      const day = (await this.date('MEETING_DAY', { notBefore: this.today }))!;
      const time = await this.ask.text({
        message: this.m('MEETING_TIME'),
        default: '10:00',
        validate: (v) => (/^([01]?\d|2[0-3])[:.][0-5]\d$/.test(v.trim()) ? true : this.m('CHECK_time')),
      });
      const minutes = await this.value('MEETING_MINUTES', 'positive', '60');
      slots.push(slot(day, time.trim().replace('.', ':'), Number(minutes)));
    } while (
      slots.length < 20 &&
      (await this.ask.confirm({ message: this.m('MEETING_MORE'), default: false }))
    );
    const channel = await this.choose(
      'MEETING_CHANNEL',
      ['teams', 'video', 'phone', 'in-person'] as const,
      'teams',
    );
    const location = await this.optional('MEETING_LOCATION', 'line');
    const agenda = (this.d.services ?? [])
      .filter((s) => s.classification === 'needs-agreement' || s.payer === 'undecided')
      .map((s) =>
        this.m('MEETING_AGENDA_SERVICE', { service: this.catalogue.get(s.code)?.name[this.lang] ?? s.code }),
      );
    this.d.meeting = {
      slots,
      channel,
      ...(location ? { location } : {}),
      ...(agenda.length ? { agenda } : {}),
    };
  }

  private async notes(force = false): Promise<void> {
    if (this.d.notes !== undefined && !force) return;
    const notes = await this.optional('NOTES', 'text', this.d.notes);
    if (notes) this.d.notes = notes;
    else delete this.d.notes;
  }

  /** SPEC §4.7: nothing is written before the worker has seen and accepted the summary. */
  private async summary(): Promise<void> {
    for (;;) {
      this.ask.say(this.summaryText());
      type Action =
        | 'write'
        | 'consent'
        | 'recipient'
        | 'youth'
        | 'entitlement'
        | 'clientPlan'
        | 'services'
        | 'meeting'
        | 'notes'
        | 'cancel';
      const sections: Action[] = ['consent', 'recipient', 'youth'];
      if (this.inScope('entitlement')) sections.push('entitlement');
      if (this.inScope('clientPlan')) sections.push('clientPlan');
      if (this.inScope('services')) sections.push('services');
      sections.push('meeting', 'notes');
      const choices: Choice<Action>[] = [
        { value: 'write', name: this.m('SUMMARY_WRITE') },
        ...sections.map((s) => ({
          value: s,
          name: this.m('SUMMARY_EDIT', { section: this.m(`SECTION__${s}`) }),
        })),
        { value: 'cancel', name: this.m('SUMMARY_CANCEL') },
      ];
      const action = await this.ask.select<Action>({
        message: this.m('SUMMARY_WHAT_NOW'),
        choices,
        default: 'write',
      });
      switch (action) {
        case 'write':
          return;
        case 'cancel':
          throw interrupted();
        case 'consent':
          delete this.d.consent;
          await this.consentGate();
          break;
        case 'recipient':
          await this.recipient(true);
          break;
        case 'youth':
          await this.youth(true);
          break;
        case 'entitlement':
          delete this.d.entitlement;
          await this.entitlement();
          break;
        case 'clientPlan':
          await this.clientPlan(true);
          break;
        case 'services':
          await this.services(true);
          break;
        case 'meeting':
          await this.meeting(true);
          break;
        case 'notes':
          await this.notes(true);
          break;
      }
    }
  }

  private summaryText(): string {
    const d = this.d;
    const L: string[] = ['', this.m('SUMMARY_TITLE')];
    const row = (k: string, v: string | undefined) => {
      if (v) L.push(`  ${this.m(k)}: ${v}`);
    };
    row('SUMMARY_SENDER', d.sender?.organization.name);
    row('SUMMARY_RECIPIENT', d.recipient?.organization.name);
    const mun = byCode(d.youth?.newMunicipalityCode);
    row(
      'SUMMARY_MUNICIPALITY',
      mun ? `${this.lang === 'sv' ? mun.name_sv : mun.name_fi} (${mun.code})` : undefined,
    );
    row('SUMMARY_YOUTH', d.youth?.name ? `${d.youth.name.given} ${d.youth.name.family}` : undefined);
    row('SUMMARY_BIRTHDATE', d.youth?.birthDate ? formatDateFi(d.youth.birthDate) : undefined);
    row(
      'SUMMARY_CONSENT',
      d.consent
        ? this.m(d.consent.basis === 'statutory' ? 'CONSENT_GIVEN__statutory' : 'CONSENT_GIVEN__yes')
        : undefined,
    );
    row('SCOPE', (d.consent?.scope ?? []).map((c) => this.m(`CATEGORY__${c}`)).join(', '));
    if (d.entitlement)
      row(
        'SUMMARY_ENDS',
        formatDateFi(d.entitlement.endsOn) +
          (d.entitlement.discretionary ? ` (${this.m('SUMMARY_DISCRETIONARY')})` : ''),
      );
    if (d.clientPlan) row('SUMMARY_GOALS', String(d.clientPlan.goals.length));
    for (const s of d.services ?? [])
      L.push(
        `  - ${this.catalogue.get(s.code)?.name[this.lang] ?? s.code}: ${this.m(`CLASS__${s.classification}`)}, ${this.m('SUMMARY_PAYS')} ${this.m(`SERVICE_PAYER__${s.payer}`)}`,
      );
    if (d.meeting)
      row('SUMMARY_MEETING', d.meeting.slots.map((s) => s.start.slice(0, 16).replace('T', ' ')).join('; '));
    row('SUMMARY_NOTES', d.notes ? `${d.notes.slice(0, 60)}${d.notes.length > 60 ? '…' : ''}` : undefined);
    return L.join('\n');
  }
}

/** Both names, the worker's language first: "Vasa – Vaasa (905)" in Swedish. */
function municipalityLabel(m: { code: string; name_fi: string; name_sv: string }, lang: Lang): string {
  if (m.name_fi === m.name_sv) return `${m.name_fi} (${m.code})`;
  const [a, b] = lang === 'sv' ? [m.name_sv, m.name_fi] : [m.name_fi, m.name_sv];
  return `${a} – ${b} (${m.code})`;
}

/** A meeting slot from a Helsinki wall-clock time, written with the local offset of that day. */
export function slot(day: string, time: string, minutes: number): { start: string; end: string } {
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const local = new Date(`${day}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:00`);
  return { start: withOffset(local), end: withOffset(new Date(local.getTime() + minutes * 60_000)) };
}

/** RFC 3339 with the machine's local offset (what a worker's clock shows). */
export function withOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

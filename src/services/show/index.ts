/**
 * `handover show`: a readable summary of a handover, receipt or withdrawal notice. The file
 * may be a draft or fail validation: whatever is there is shown, nothing is required.
 */
import { type Catalogue, loadCatalogue } from '../../domain/catalogue.js';
import { formatDateFi, helsinkiDate, helsinkiTime, isDate } from '../../domain/dates.js';
import { lastDayOfRight } from '../../domain/law.js';
import { municipalityName } from '../../domain/municipalities.js';
import { EXIT, HandoverError } from '../../errors.js';
import { type Lang, t } from '../../i18n/index.js';
import { readDocumentFile } from '../../io/read-document.js';

export interface ShowOptions {
  file: string;
  lang: Lang;
  /** Catalogue with the organisation's additions, for service names. */
  catalogue?: Catalogue;
}

export interface PersonSummary {
  name?: string;
  title?: string;
  email?: string;
  phone?: string;
}

export interface PartySummary {
  name?: string;
  businessId?: string;
  unit?: string;
  municipalityCode?: string;
  municipality?: string;
  email?: string;
  phone?: string;
  contact?: PersonSummary;
  backupContact?: PersonSummary;
}

export interface ServiceSummary {
  id?: string;
  code?: string;
  /** The catalogue name in the language asked for. */
  name?: string;
  description?: string;
  classification?: string;
  provider?: string;
  payer?: string;
  pricing?: { unit?: string; unitPriceEur?: number; estimatedUnits?: number };
  period?: { from?: string; to?: string };
  clientPlanGoal?: string;
  categories?: string[];
}

export interface HandoverSummary {
  kind: 'handover';
  file: string;
  id?: string;
  type?: string;
  caseReference?: string;
  createdAt?: string;
  /** createdAt as a Europe/Helsinki calendar date. */
  createdOn?: string;
  language?: string;
  sender?: PartySummary;
  recipient?: PartySummary;
  youth?: {
    givenName?: string;
    familyName?: string;
    birthDate?: string;
    personalIdentityCode?: string;
    newMunicipalityCode?: string;
    newMunicipality?: string;
    movingDate?: string;
    preferredLanguage?: string;
    interpreter?: string;
    wantsServices?: string;
    wishes?: string;
    nonDisclosure: boolean;
    /** Without the address when the youth has a non-disclosure marking. */
    contact?: { phone?: string; email?: string; address?: string };
  };
  consent?: {
    basis?: string;
    givenOn?: string;
    method?: string;
    givenBy?: string;
    recordedBy?: string;
    statutoryReference?: string;
    scope: string[];
  };
  entitlement?: {
    basis?: string;
    placementStartedOn?: string;
    placementEndedOn?: string;
    placedAlone?: boolean;
    lastClientOn?: string;
    endsOn?: string;
    /** The last day the law in force on createdAt allows (SPEC §5.4). */
    lastDayByLaw?: string;
    discretionary?: boolean;
    policyReference?: string;
    payer?: string;
    reimbursementDecision?: string;
  };
  clientPlan?: {
    date?: string;
    reviewDue?: string;
    goals: { id?: string; text?: string; categories?: string[] }[];
  };
  services: ServiceSummary[];
  meeting?: {
    channel?: string;
    location?: string;
    slots: { start?: string; end?: string }[];
    agenda: string[];
  };
  notes?: string;
  supersedes?: string;
  signed: boolean;
}

export interface ReceiptSummary {
  kind: 'receipt';
  file: string;
  id?: string;
  handoverId?: string;
  handoverSha256?: string;
  receivedAt?: string;
  receiver?: PartySummary;
  outcome?: string;
  reasons: { rule?: string; pointer?: string }[];
  signed: boolean;
}

export interface WithdrawalSummary {
  kind: 'withdrawal';
  file: string;
  id?: string;
  handoverId?: string;
  reason?: string;
  withdrawnAt?: string;
  sender?: PartySummary;
  signed: boolean;
}

export type ShowResult = HandoverSummary | ReceiptSummary | WithdrawalSummary;

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const o = (v: unknown, k: string): J | undefined => (isObj(v) && isObj(v[k]) ? (v[k] as J) : undefined);
const s = (v: unknown, k: string): string | undefined =>
  isObj(v) && typeof v[k] === 'string' ? (v[k] as string) : undefined;
const n = (v: unknown, k: string): number | undefined =>
  isObj(v) && typeof v[k] === 'number' ? (v[k] as number) : undefined;
const b = (v: unknown, k: string): boolean | undefined =>
  isObj(v) && typeof v[k] === 'boolean' ? (v[k] as boolean) : undefined;
const list = (v: unknown, k: string): unknown[] =>
  isObj(v) && Array.isArray(v[k]) ? (v[k] as unknown[]) : [];
const strings = (v: unknown, k: string): string[] =>
  list(v, k).filter((x): x is string => typeof x === 'string');

/** Drops undefined members, so that --json prints only what the file has. */
function compact<T extends object>(x: T): T {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
}

const readDocument = (file: string): unknown =>
  readDocumentFile(file, {
    unreadable: 'show.FILE_UNREADABLE',
    invalidCode: 'JSON_PARSE',
    invalid: 'show.JSON_PARSE',
  });

const person = (p: J | undefined): PersonSummary | undefined =>
  p && compact({ name: s(p, 'name'), title: s(p, 'title'), email: s(p, 'email'), phone: s(p, 'phone') });

function party(p: J | undefined, lang: Lang): PartySummary | undefined {
  if (!p) return undefined;
  const org = o(p, 'organization');
  const code = s(org, 'municipalityCode');
  return compact({
    name: s(org, 'name'),
    businessId: s(org, 'businessId'),
    unit: s(org, 'unit'),
    municipalityCode: code,
    municipality: municipalityName(code, lang),
    email: s(org, 'email'),
    phone: s(org, 'phone'),
    contact: person(o(p, 'contact')),
    backupContact: person(o(p, 'backupContact')),
  });
}

const address = (a: J | undefined): string | undefined =>
  a &&
  [s(a, 'street'), [s(a, 'postalCode'), s(a, 'city')].filter(Boolean).join(' '), s(a, 'country')]
    .filter((x) => x !== undefined && x !== '')
    .join(', ');

function handoverSummary(doc: J, file: string, lang: Lang, catalogue: Catalogue): HandoverSummary {
  const youth = o(doc, 'youth');
  const name = o(youth, 'name');
  const nonDisclosure = b(youth, 'nonDisclosure') === true;
  const yc = o(youth, 'contact');
  const consent = o(doc, 'consent');
  const ent = o(doc, 'entitlement');
  const plan = o(doc, 'clientPlan');
  const meeting = o(doc, 'meeting');
  const newCode = s(youth, 'newMunicipalityCode');
  const right =
    ent &&
    lastDayOfRight({
      type: doc.type,
      birthDate: youth?.birthDate,
      createdAt: doc.createdAt,
      placementEndedOn: ent.placementEndedOn,
      lastClientOn: ent.lastClientOn,
      discretionary: ent.discretionary,
      policyReference: ent.policyReference,
    });
  return compact({
    kind: 'handover' as const,
    file,
    id: s(doc, 'id'),
    type: s(doc, 'type'),
    caseReference: s(doc, 'caseReference'),
    createdAt: s(doc, 'createdAt'),
    createdOn: helsinkiDate(doc.createdAt),
    language: s(doc, 'language'),
    sender: party(o(doc, 'sender'), lang),
    recipient: party(o(doc, 'recipient'), lang),
    youth:
      youth &&
      compact({
        givenName: s(name, 'given'),
        familyName: s(name, 'family'),
        birthDate: s(youth, 'birthDate'),
        personalIdentityCode: s(youth, 'personalIdentityCode'),
        newMunicipalityCode: newCode,
        newMunicipality: municipalityName(newCode, lang),
        movingDate: s(youth, 'movingDate'),
        preferredLanguage: s(youth, 'preferredLanguage'),
        interpreter: s(youth, 'interpreter'),
        wantsServices: s(youth, 'wantsServices'),
        wishes: s(youth, 'wishes'),
        nonDisclosure,
        contact:
          yc &&
          compact({
            phone: s(yc, 'phone'),
            email: s(yc, 'email'),
            address: nonDisclosure ? undefined : address(o(yc, 'address')),
          }),
      }),
    consent:
      consent &&
      compact({
        basis: s(consent, 'basis'),
        givenOn: s(consent, 'givenOn'),
        method: s(consent, 'method'),
        givenBy: s(consent, 'givenBy'),
        recordedBy: s(consent, 'recordedBy'),
        statutoryReference: s(consent, 'statutoryReference'),
        scope: strings(consent, 'scope'),
      }),
    entitlement:
      ent &&
      compact({
        basis: s(ent, 'basis'),
        placementStartedOn: s(ent, 'placementStartedOn'),
        placementEndedOn: s(ent, 'placementEndedOn'),
        placedAlone: b(ent, 'placedAlone'),
        lastClientOn: s(ent, 'lastClientOn'),
        endsOn: s(ent, 'endsOn'),
        lastDayByLaw: right ? right.lastDay : undefined,
        discretionary: b(ent, 'discretionary'),
        policyReference: s(ent, 'policyReference'),
        payer: s(ent, 'payer'),
        reimbursementDecision: s(ent, 'reimbursementDecision'),
      }),
    clientPlan:
      plan &&
      compact({
        date: s(plan, 'date'),
        reviewDue: s(plan, 'reviewDue'),
        goals: list(plan, 'goals')
          .filter(isObj)
          .map((g) =>
            compact({
              id: s(g, 'id'),
              text: s(g, 'text'),
              categories: list(g, 'categories').length ? strings(g, 'categories') : undefined,
            }),
          ),
      }),
    services: list(doc, 'services')
      .filter(isObj)
      .map((sv) => {
        const code = s(sv, 'code');
        const pr = o(sv, 'pricing');
        const period = o(sv, 'period');
        return compact({
          id: s(sv, 'id'),
          code,
          name: code === undefined ? undefined : catalogue.get(code)?.name[lang],
          description: s(sv, 'description'),
          classification: s(sv, 'classification'),
          provider: s(sv, 'provider'),
          payer: s(sv, 'payer'),
          pricing:
            pr &&
            compact({
              unit: s(pr, 'unit'),
              unitPriceEur: n(pr, 'unitPriceEur'),
              estimatedUnits: n(pr, 'estimatedUnits'),
            }),
          period: period && compact({ from: s(period, 'from'), to: s(period, 'to') }),
          clientPlanGoal: s(sv, 'clientPlanGoal'),
          categories: list(sv, 'categories').length ? strings(sv, 'categories') : undefined,
        });
      }),
    meeting:
      meeting &&
      compact({
        channel: s(meeting, 'channel'),
        location: s(meeting, 'location'),
        slots: list(meeting, 'slots')
          .filter(isObj)
          .map((sl) => compact({ start: s(sl, 'start'), end: s(sl, 'end') })),
        agenda: strings(meeting, 'agenda'),
      }),
    notes: s(doc, 'notes'),
    supersedes: s(doc, 'supersedes'),
    signed: o(doc, 'signature') !== undefined,
  });
}

/** Reads a handover, receipt or withdrawal file and summarises it. */
export function showDocument(opts: ShowOptions): ShowResult {
  const doc = readDocument(opts.file);
  if (!isObj(doc))
    throw new HandoverError('NOT_A_DOCUMENT', EXIT.invalid, {
      key: 'show.NOT_A_DOCUMENT',
      vars: { file: opts.file },
    });
  const signed = o(doc, 'signature') !== undefined;
  if (doc.kind === 'receipt')
    return compact({
      kind: 'receipt' as const,
      file: opts.file,
      id: s(doc, 'id'),
      handoverId: s(doc, 'handoverId'),
      handoverSha256: s(doc, 'handoverSha256'),
      receivedAt: s(doc, 'receivedAt'),
      receiver: party(o(doc, 'receiver'), opts.lang),
      outcome: s(doc, 'outcome'),
      reasons: list(doc, 'reasons')
        .filter(isObj)
        .map((r) => compact({ rule: s(r, 'rule'), pointer: s(r, 'pointer') })),
      signed,
    });
  if (doc.kind === 'withdrawal')
    return compact({
      kind: 'withdrawal' as const,
      file: opts.file,
      id: s(doc, 'id'),
      handoverId: s(doc, 'handoverId'),
      reason: s(doc, 'reason'),
      withdrawnAt: s(doc, 'withdrawnAt'),
      sender: party(o(doc, 'sender'), opts.lang),
      signed,
    });
  if (doc.kind !== undefined)
    throw new HandoverError('NOT_A_DOCUMENT', EXIT.invalid, {
      key: 'show.NOT_A_DOCUMENT',
      vars: { file: opts.file },
    });
  return handoverSummary(doc, opts.file, opts.lang, opts.catalogue ?? loadCatalogue());
}

/* ---------------------------------------------------------------- text rendering */

const date = (d: string | undefined, lang: Lang): string | undefined =>
  d === undefined ? undefined : lang !== 'en' && isDate(d) ? formatDateFi(d) : d;

function dateTime(dt: string | undefined, lang: Lang): string | undefined {
  const day = helsinkiDate(dt);
  const time = helsinkiTime(dt);
  if (day === undefined || time === undefined) return dt;
  const clock = lang === 'en' ? time : time.replace(/^0/, '').replace(':', '.');
  return `${date(day, lang)} ${t('show.time.at', lang)} ${clock}`;
}

const money = (eur: number, lang: Lang): string =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : `${lang}-FI`, {
    style: 'currency',
    currency: 'EUR',
  }).format(eur);

/** Joins the present parts of a line with ", ". */
const join = (...parts: (string | undefined | false)[]): string =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join(', ');

/** `label: value`, or undefined when the value is absent. */
const lv = (label: string, value: string | undefined): string | undefined =>
  value === undefined ? undefined : `${label} ${value}`;

function renderPerson(p: PersonSummary | undefined): string | undefined {
  return p && join(p.name, p.title, p.email, p.phone);
}

function renderParty(label: string, p: PartySummary | undefined, lang: Lang): string[] {
  if (!p) return [`${label}: ${t('show.label.missing', lang)}`];
  const L = (k: string) => t(`show.label.${k}`, lang);
  const place = p.municipality ? `${p.municipality} (${p.municipalityCode})` : p.municipalityCode;
  const out = [
    `${label}: ${join(p.name, p.unit, lv(`${L('businessId')}`, p.businessId), place, p.email, p.phone)}`,
  ];
  if (p.contact) out.push(`  ${L('contact')}: ${renderPerson(p.contact)}`);
  if (p.backupContact) out.push(`  ${L('backupContact')}: ${renderPerson(p.backupContact)}`);
  return out;
}

/** Looks up an enum value's label, the raw value when there is none (a draft may hold anything). */
const term = (ns: string, v: string | undefined, lang: Lang): string | undefined => {
  if (v === undefined) return undefined;
  const key = `show.${ns}.${v}`;
  const r = t(key, lang);
  return r === key ? v : r;
};

function renderHandover(h: HandoverSummary, lang: Lang): string[] {
  const L = (k: string) => t(`show.label.${k}`, lang);
  const out: string[] = [];
  out.push(`${t('show.title.handover', lang)}${h.type ? ` (${term('type', h.type, lang)})` : ''}`);
  out.push(
    join(
      lv(`${L('id')}:`, h.id),
      lv(`${L('createdAt')}:`, date(h.createdOn, lang)),
      lv(`${L('caseReference')}:`, h.caseReference),
    ),
  );
  if (h.supersedes) out.push(`${L('supersedes')}: ${h.supersedes}`);
  out.push('');
  out.push(...renderParty(L('sender'), h.sender, lang));
  if (h.sender && !h.sender.backupContact) out.push(`  ${L('noBackupContact')}`);
  out.push(...renderParty(L('recipient'), h.recipient, lang));
  out.push('');

  const y = h.youth;
  if (y) {
    const fullName = join([y.givenName, y.familyName].filter(Boolean).join(' '));
    out.push(
      `${L('youth')}: ${join(fullName, lv(L('birthDate'), date(y.birthDate, lang)), lv(L('personalIdentityCode'), y.personalIdentityCode))}`,
    );
    const place = y.newMunicipality
      ? `${y.newMunicipality} (${y.newMunicipalityCode})`
      : y.newMunicipalityCode;
    out.push(`  ${L('newMunicipality')}: ${join(place, lv(L('movingDate'), date(y.movingDate, lang)))}`);
    if (y.preferredLanguage || y.interpreter)
      out.push(
        `  ${L('preferredLanguage')}: ${join(y.preferredLanguage, lv(L('interpreter'), y.interpreter))}`,
      );
    if (y.contact || y.nonDisclosure)
      out.push(
        `  ${L('youthContact')}: ${join(y.contact?.phone, y.contact?.email, y.contact?.address, y.nonDisclosure && L('addressProtected'))}`,
      );
    if (y.wantsServices) out.push(`  ${L('wantsServices')}: ${term('wants', y.wantsServices, lang)}`);
    if (y.wishes) out.push(`  ${L('wishes')}: ${y.wishes}`);
  }

  const c = h.consent;
  if (c) {
    out.push(
      `${L('consent')}: ${join(term('basis', c.basis, lang), term('method', c.method, lang), lv(L('givenOn'), date(c.givenOn, lang)), lv(L('givenBy'), term('givenBy', c.givenBy, lang)), lv(L('statutoryReference'), c.statutoryReference), lv(L('recordedBy'), c.recordedBy))}`,
    );
    out.push(`  ${L('scope')}: ${c.scope.map((x) => term('category', x, lang)).join(', ')}`);
  }

  const e = h.entitlement;
  if (e) {
    out.push(
      `${L('entitlement')}: ${join(term('entitlementBasis', e.basis, lang), e.discretionary ? join(L('discretionary'), e.policyReference) : undefined)}`,
    );
    const placement = [date(e.placementStartedOn, lang), date(e.placementEndedOn, lang)]
      .filter(Boolean)
      .join('–');
    out.push(
      `  ${L('placement')}: ${join(placement, e.placedAlone === true ? L('placedAlone') : undefined, lv(L('lastClientOn'), date(e.lastClientOn, lang)))}`,
    );
    out.push(
      `  ${L('endsOn')}: ${join(date(e.endsOn, lang), lv(L('lastDayByLaw'), date(e.lastDayByLaw, lang)))}`,
    );
    const billing = join(
      lv(`${L('payer')}:`, term('party', e.payer, lang)),
      lv(`${L('reimbursementDecision')}:`, e.reimbursementDecision),
    );
    if (billing) out.push(`  ${billing.charAt(0).toLocaleUpperCase(lang)}${billing.slice(1)}`);
  }

  const p = h.clientPlan;
  if (p) {
    out.push(`${L('clientPlan')}: ${join(date(p.date, lang), lv(L('reviewDue'), date(p.reviewDue, lang)))}`);
    for (const g of p.goals) out.push(`  ${g.id ?? '?'}: ${g.text ?? ''}`);
  }

  out.push(`${L('services')}:${h.services.length === 0 ? ` ${L('noServices')}` : ''}`);
  for (const sv of h.services) {
    const price =
      sv.pricing?.unitPriceEur !== undefined
        ? `${L('price')} ${money(sv.pricing.unitPriceEur, lang)}/${term('unit', sv.pricing.unit, lang)}${sv.pricing.estimatedUnits !== undefined ? ` × ${sv.pricing.estimatedUnits}` : ''}`
        : undefined;
    const period = sv.period
      ? `${date(sv.period.from, lang) ?? ''}–${date(sv.period.to, lang) ?? ''}`
      : undefined;
    out.push(
      `  ${sv.id ?? '?'}: ${sv.name ?? sv.code ?? '?'} — ${join(term('classification', sv.classification, lang), lv(L('provider'), term('party', sv.provider, lang)), lv(L('payer'), term('party', sv.payer, lang)), price, period, lv(L('goal'), sv.clientPlanGoal))}`,
    );
    if (sv.description) out.push(`      ${sv.description}`);
  }

  const m = h.meeting;
  if (m) {
    out.push(
      `${L('meeting')}: ${join(term('channel', m.channel, lang), lv(`${L('location')}:`, m.location))}`,
    );
    for (const sl of m.slots) {
      const endTime = helsinkiTime(sl.end);
      const end =
        helsinkiDate(sl.start) === helsinkiDate(sl.end) && endTime !== undefined
          ? lang === 'en'
            ? endTime
            : endTime.replace(/^0/, '').replace(':', '.')
          : dateTime(sl.end, lang);
      out.push(`  ${dateTime(sl.start, lang) ?? '?'}–${end ?? '?'}`);
    }
    if (m.agenda.length) out.push(`  ${L('agenda')}: ${m.agenda.join('; ')}`);
  }
  if (h.notes) out.push(`${L('notes')}: ${h.notes}`);
  out.push(`${L('signature')}: ${t(h.signed ? 'show.signed.yes' : 'show.signed.no', lang)}`);
  return out;
}

/** The summary as text for people, in the language asked for. */
export function renderShow(r: ShowResult, lang: Lang): string {
  const L = (k: string) => t(`show.label.${k}`, lang);
  let lines: string[];
  if (r.kind === 'handover') lines = renderHandover(r, lang);
  else if (r.kind === 'receipt') {
    lines = [
      t('show.title.receipt', lang),
      join(lv(`${L('id')}:`, r.id), lv(`${L('receivedAt')}:`, dateTime(r.receivedAt, lang))),
      `${L('handoverId')}: ${r.handoverId ?? '?'}`,
      `SHA-256: ${r.handoverSha256 ?? '?'}`,
      ...renderParty(L('receiver'), r.receiver, lang),
      `${L('outcome')}: ${term('outcome', r.outcome, lang) ?? '?'}`,
    ];
    if (r.reasons.length)
      lines.push(`${L('reasons')}: ${r.reasons.map((x) => join(x.rule, x.pointer)).join('; ')}`);
    lines.push(`${L('signature')}: ${t(r.signed ? 'show.signed.yes' : 'show.signed.no', lang)}`);
  } else {
    lines = [
      t('show.title.withdrawal', lang),
      join(lv(`${L('id')}:`, r.id), lv(`${L('withdrawnAt')}:`, dateTime(r.withdrawnAt, lang))),
      `${L('handoverId')}: ${r.handoverId ?? '?'}`,
      ...renderParty(L('sender'), r.sender, lang),
      `${L('reason')}: ${r.reason ?? '?'}`,
      `${L('signature')}: ${t(r.signed ? 'show.signed.yes' : 'show.signed.no', lang)}`,
    ];
  }
  return `${lines.join('\n')}\n`;
}

/**
 * What every section of the interview shares: the draft being completed, the consent scope
 * the questions stay inside, and the ways of asking for a value. A refused answer is asked
 * again with the reason the handover file would get for the same value, so that what the
 * interview accepts never fails `handover validate` later.
 */

import { EXIT, type ExitCode, HandoverError } from '../core/errors.js';
import type { Catalogue } from '../domain/catalogue.js';
import { compareDates, formatDateFi, helsinkiDate } from '../domain/dates.js';
import { checkValue, parseDateInput, type ValueKind } from '../domain/values.js';
import { type Lang, languageCode, languageName, t } from '../i18n/index.js';
import type { Category, Person } from '../schema/types.js';
import type { Ask } from './ask.js';
import type { Draft } from './scope.js';

/** Ctrl-C or "cancel" in the summary: the conventional exit of an interrupted program. */
export const EXIT_INTERRUPTED: ExitCode = EXIT.interrupted;

export const interrupted = (): HandoverError =>
  new HandoverError('INTERRUPTED', EXIT_INTERRUPTED, { key: 'interview.INTERRUPTED' });

export type LetterLanguage = 'fi' | 'sv' | 'en';

/** A rule's finding on the draft, worded in the worker's language by whoever checked it. */
export interface DraftFinding {
  rule: string;
  severity: 'error' | 'warning';
  pointer: string;
  message: string;
}

/** Every rule of the handover file over the draft; given by the service, which owns validation. */
export type DraftCheck = (draft: Draft) => DraftFinding[];

type Billing = NonNullable<NonNullable<Draft['sender']>['billing']>;
type Signatory = NonNullable<Draft['signatory']>;

/** A partner organisation as the partner directory lists it (SPEC §13). */
export interface Partner {
  businessId: string;
  name: { fi: string; sv?: string | undefined; en?: string | undefined };
  municipalityCodes?: string[] | undefined;
  handoverContact?: { email?: string | undefined; phone?: string | undefined } | undefined;
  billing?: Billing | undefined;
}

/** What the office has configured for every handover (SPEC §3 config keys). */
export interface Office {
  /** Days from creation to the reply-by date (defaults.replyDays, 14). */
  replyDays: number;
  signatory?: Signatory | undefined;
  billing?: Billing | undefined;
  /** The partner directory's organisations, when one was imported: the recipient is proposed from it. */
  partners?: Partner[] | undefined;
}

/** Office details the worker typed and agreed to save in the config. */
export interface OfficeToSave {
  signatory?: Signatory;
  billing?: Billing;
}

export class Interview {
  readonly ask: Ask;
  readonly lang: Lang;
  readonly catalogue: Catalogue;
  /** Each section completes its part; the consent section replaces it with a pruned copy. */
  draft: Draft;
  /** Chosen with the recipient; kept across rounds so that a resumed summary does not lose it. */
  letterLang: LetterLanguage | undefined;
  /** The findings the summary lists (SPEC §4.7); none when no checker was given. */
  readonly findings: DraftCheck;
  readonly office: Office;
  /** Filled by the sections that ask for office details and offer to save them. */
  readonly toSave: OfficeToSave = {};

  constructor(o: {
    ask: Ask;
    lang: Lang;
    catalogue: Catalogue;
    draft: Draft;
    letterLanguage?: LetterLanguage | undefined;
    check?: DraftCheck | undefined;
    office?: Office | undefined;
  }) {
    this.ask = o.ask;
    this.lang = o.lang;
    this.catalogue = o.catalogue;
    // The caller's draft stays as it was if the worker cancels half-way.
    this.draft = structuredClone(o.draft);
    this.letterLang = o.letterLanguage;
    this.findings = o.check ?? (() => []);
    this.office = o.office ?? { replyDays: 14 };
  }

  m(key: string, vars: Record<string, string | number> = {}): string {
    return t(`interview.${key}`, this.lang, vars);
  }

  get today(): string {
    return helsinkiDate(this.draft.createdAt) ?? new Date().toISOString().slice(0, 10);
  }

  get scope(): Category[] {
    return this.draft.consent?.scope ?? ['identity'];
  }

  inScope(c: Category): boolean {
    return this.scope.includes(c);
  }

  private check(kind: ValueKind, v: string): string | true {
    const p = checkValue(kind, v);
    return p ? this.m(p.reason, p.vars) : true;
  }

  async value(key: string, kind: ValueKind, def?: string, vars: Record<string, string> = {}) {
    const v = await this.ask.text({
      message: this.m(key, vars),
      ...(def !== undefined ? { default: def } : {}),
      validate: (s) => this.check(kind, s.trim()),
    });
    return v.trim();
  }

  /** An optional value: an empty answer leaves it out. */
  async optional(key: string, kind: ValueKind, def?: string): Promise<string | undefined> {
    const v = await this.ask.text({
      // With a default, Enter keeps it: emptying the answer is what leaves the value out.
      message: `${this.m(key)} ${this.m(def ? 'OPTIONAL_KEEP' : 'OPTIONAL')}`,
      ...(def !== undefined ? { default: def } : {}),
      validate: (s) => (s.trim() === '' ? true : this.check(kind, s.trim())),
    });
    return v.trim() === '' ? undefined : v.trim();
  }

  /**
   * A language (ISO 639-1 in the file), asked and shown by its name in the worker's language:
   * "svenska" or "arabiska" may be typed, a code too; the default is shown as its name.
   */
  async language(key: string, def?: string): Promise<string | undefined> {
    const shown = def ? languageName(def, this.lang) : undefined;
    const v = await this.ask.text({
      message: `${this.m(key)} ${this.m(shown ? 'OPTIONAL_KEEP' : 'OPTIONAL')}`,
      ...(shown !== undefined ? { default: shown } : {}),
      validate: (s) => (s.trim() === '' || languageCode(s) ? true : this.m('CHECK_languageName')),
    });
    return v.trim() === '' ? undefined : languageCode(v);
  }

  async date(
    key: string,
    o: { def?: string; optional?: boolean; notBefore?: string; notAfter?: string } = {},
  ): Promise<string | undefined> {
    const v = await this.ask.text({
      message: o.optional ? `${this.m(key)} ${this.m(o.def ? 'OPTIONAL_KEEP' : 'OPTIONAL')}` : this.m(key),
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

  choose<T extends string>(key: string, values: readonly T[], def?: T): Promise<T> {
    return this.ask.select<T>({
      message: this.m(key),
      choices: values.map((v) => ({ value: v, name: this.m(`${key}__${v}`) })),
      ...(def !== undefined ? { default: def } : {}),
    });
  }

  /**
   * A contact person the other side can reach: without an e-mail or a phone they cannot.
   * What `current` holds is kept without asking, unless `edit`: then it is what Enter accepts.
   */
  async person(prefix: string, current?: Partial<Person>, edit = false): Promise<Person> {
    const keep = !edit && current !== undefined;
    const name =
      keep && current.name ? current.name : await this.value(`${prefix}_NAME`, 'line', current?.name);
    const title = keep ? current.title : await this.optional(`${prefix}_TITLE`, 'line', current?.title);
    let email = keep ? current.email : await this.optional(`${prefix}_EMAIL`, 'email', current?.email);
    let phone = keep ? current.phone : await this.optional(`${prefix}_PHONE`, 'phone', current?.phone);
    while (!email && !phone) {
      this.ask.say(this.m('CHECK_reach'));
      email = await this.optional(`${prefix}_EMAIL`, 'email');
      phone = await this.optional(`${prefix}_PHONE`, 'phone');
    }
    return { name, ...(title ? { title } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
  }
}

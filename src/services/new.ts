/**
 * `handover new`: from a draft (possibly empty) and the worker's answers to a signed handover
 * file, written atomically only after it validates. Non-interactive runs never prompt: every
 * missing or invalid field is listed at once (SPEC §3, §4).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, loadConfig, ownNames, ownParty, saveConfig } from '../config/store.js';
import { type ErrorDetail, EXIT, HandoverError } from '../core/errors.js';
import { assertSignerIsSender, buildLetterFiles } from '../documents/letter-files.js';
import { resolveRecipient, type SealResult, seal } from '../documents/seal.js';
import { timestampFor } from '../documents/timestamp.js';
import { type Finding, validateDocument } from '../documents/validate.js';
import { loadCatalogue, serviceCategories } from '../domain/catalogue.js';
import { addDays, helsinkiDate } from '../domain/dates.js';
import { isUuid } from '../domain/ids.js';
import { chooseLetterLanguage, type Lang, letterMunicipalityCode } from '../domain/language.js';
import { t } from '../i18n/index.js';
import type { Ask } from '../interview/ask.js';
import { runInterview, withOffset } from '../interview/flow.js';
import { missingFields } from '../interview/missing.js';
import { type Draft, pruneToScope } from '../interview/scope.js';
import { ensurePrivateDir, writeFilesAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { handoverStem } from '../io/names.js';
import {
  loadChain,
  loadSigningIdentity,
  type PinSource,
  readKeyMeta,
  resolveAlias,
  type SigningIdentity,
} from '../keystore/index.js';
import { appendAudit, logDocumentUse } from '../register/index.js';
import { registerSent } from '../register/sent.js';
import { readSchema } from '../schema/files.js';
import type { Handover } from '../schema/types.js';
import { signDocument } from '../signing/jws.js';
import { currentDirectory, loadTrustStore } from '../signing/trust.js';

export interface NewOptions {
  lang: Lang;
  /** The draft's text and where it came from (a path or "-"), when --answers was given. */
  answers?: { text: string; source: string };
  /** Ask questions; false: never prompt (--no-interactive, no TTY, CI). */
  interactive: boolean;
  /** Required when interactive. */
  ask?: Ask;
  /** Output folder: --out, else config defaults.outputFolder, else the current folder. */
  out?: string;
  force?: boolean;
  /** The clock of this run (--now / HANDOVER_NOW): createdAt and the file name follow it. */
  now?: Date;
  sign: boolean;
  /** Ask timestamp.url for RFC 3161 tokens (default); false for --no-timestamp. */
  timestamp?: boolean;
  /** Also write the signed cover letter (and the .ics of a proposed meeting); needs signing. */
  letter?: boolean;
  /** Seal every output file for this recipient (trust store name, fingerprint or certificate file). */
  sealTo?: string;
  /** Cover letter language; default: the recipient municipality's, or the worker's choice. */
  letterLang?: Lang;
  /** Also write the plain-language copy for the youth (SPEC §9). */
  youthCopy?: boolean;
  /** Language of the youth's copy (--youth-lang); the youth's own language when absent. */
  youthLang?: Lang;
  keyAlias?: string;
  keyStore?: 'keychain' | 'file';
  /** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt); none: exit 4. */
  pin?: PinSource;
  /** Record the handover as sent in the local register. */
  register?: boolean;
}

export interface NewResult {
  id: string;
  /** The handover file written. */
  file: string;
  files: string[];
  /** The .p7m files written with --seal-to (also listed in files). */
  sealed: string[];
  /** Whose certificate they were sealed for (organisation, business ID, fingerprint). */
  sealedFor?: SealResult['recipient'];
  sha256: string;
  signed: boolean;
  /** Language the cover letter should use (recipient municipality, or the worker's choice). */
  letterLanguage: Lang;
  /** Warnings of the validation (the file is valid; these are worth a look). */
  warnings: Finding[];
  profileSaved: boolean;
}

/** Reads --answers: a JSON object (a partial handover). */
export function readAnswers(file: string): { text: string; source: string } {
  try {
    return { text: readFileSync(file === '-' ? 0 : file, 'utf8'), source: file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file }, cause: e });
    throw new HandoverError('ANSWERS_UNREADABLE', EXIT.invalid, {
      key: 'interview.ANSWERS_UNREADABLE',
      vars: { file },
      cause: e,
    });
  }
}

function parseDraft(a: { text: string; source: string } | undefined): Draft {
  if (!a) return {};
  let v: unknown;
  try {
    v = JSON.parse(a.text);
  } catch (e) {
    throw new HandoverError('JSON_PARSE', EXIT.invalid, {
      key: 'interview.ANSWERS_NOT_JSON',
      vars: { file: a.source },
      cause: e,
    });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new HandoverError('JSON_PARSE', EXIT.invalid, {
      key: 'interview.ANSWERS_NOT_JSON',
      vars: { file: a.source },
    });
  const d = v as Draft & { signature?: unknown };
  // A signature belongs to the document it was made for, never to a new one built from it.
  delete d.signature;
  return d;
}

/** What the tool itself fills in: format version, id, creation time, language, our own party. */
function withSystemFields(draft: Draft, config: Config, opts: NewOptions): Draft {
  const d: Draft = { ...draft };
  d.schemaVersion = '1.2'; // the newest format (SPEC §5.6); the generated type holds it to the schema
  if (!isUuid(d.id)) d.id = randomUUID();
  d.createdAt ??= withOffset(opts.now ?? new Date());
  d.language ??= opts.lang;
  const own = ownParty(config);
  if (!d.sender && own) d.sender = own;
  // A back-office run is never asked: the office's reply days and signatory apply (SPEC §4.9).
  if (!opts.interactive) {
    const created = helsinkiDate(d.createdAt);
    if (created) d.replyBy ??= addDays(created, Number(config.defaults?.replyDays ?? 14) || 14);
    if (config.signatory) d.signatory ??= config.signatory;
  }
  d.services ??= [];
  return d;
}

/**
 * Members in the schema's order, so that the file reads like the schema. `signature` is left
 * out: it is added by signing, over the rest.
 */
function ordered(d: Draft): Handover {
  const keys = Object.keys((readSchema('handover') as { properties: object }).properties);
  const out: Record<string, unknown> = {};
  for (const k of keys)
    if (k !== 'signature' && (d as Record<string, unknown>)[k] !== undefined)
      out[k] = (d as Record<string, unknown>)[k];
  return out as unknown as Handover;
}

function outputFolder(opts: NewOptions, config: Config): string {
  return resolve(opts.out ?? config.defaults?.outputFolder ?? '.');
}

export async function createHandover(opts: NewOptions): Promise<NewResult> {
  const config = loadConfig();
  const catalogue = loadCatalogue(config.services);
  let draft = withSystemFields(parseDraft(opts.answers), config, opts);
  let letterLang: Lang | undefined;
  let profileSaved = false;
  // The key is looked up before the first question: a worker must not answer the whole
  // interview only to learn at the end that nothing can be signed.
  const key = opts.sign ? await signingKey(opts, config) : undefined;
  // A key of another organisation is refused before the interview, not after it (SPEC §7).
  if (key && draft.sender?.organization?.businessId)
    assertSignerIsSender(key, draft.sender as Handover['sender']);
  // Likewise the recipient of --seal-to: an unknown certificate fails before any question.
  if (opts.sealTo !== undefined) await resolveRecipient(opts.sealTo);

  if (opts.interactive) {
    if (!opts.ask) throw new Error('an interactive run needs a terminal');
    // The summary lists every finding so that the worker fixes it by editing (SPEC §4.7); the
    // rounds are a safety net for an error that slipped past it, never a loss of the answers.
    const check = (d: Draft) =>
      validateDocument(JSON.stringify(ordered(d)), {
        lang: opts.lang,
        ...(config.services ? { services: config.services } : {}),
      }).findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        pointer: f.pointer,
        message: f.message,
      }));
    for (let round = 0; ; round++) {
      const r = await runInterview({
        ask: opts.ask,
        lang: opts.lang,
        draft,
        profile: ownParty(config),
        catalogue,
        resume: round > 0,
        check,
        office: {
          replyDays: Number(config.defaults?.replyDays ?? 14) || 14,
          signatory: config.signatory,
          billing: config.billing,
          partners: currentDirectory()?.entries,
        },
        ...(letterLang ? { letterLanguage: letterLang } : {}),
      });
      draft = r.draft;
      letterLang = r.letterLanguage;
      if ((r.saveProfile || r.saveOffice) && !profileSaved) {
        saveConfig({ ...config, ...r.saveProfile, ...r.saveOffice });
        profileSaved = true;
      }
      const errors = check(draft).filter((f) => f.severity === 'error');
      if (errors.length === 0 || round >= 4) break;
      opts.ask.say(t('interview.FIX_BEFORE_WRITING', opts.lang, { count: errors.length }));
      for (const f of errors) opts.ask.say(`  ${f.rule} ${f.pointer} ${f.message}`);
    }
  } else {
    refuseIncomplete(draft, opts.lang, catalogue, config);
  }

  // Turvakielto covers the place of residence (661/2009 36 §), and the file travels inside the
  // letter: the youth's new municipality stays out of it (the recipient's own code remains).
  if (draft.youth?.nonDisclosure === true) delete draft.youth.newMunicipalityCode;
  const doc = ordered(draft);
  if (key) assertSignerIsSender(key, doc.sender);
  let text = `${JSON.stringify(doc, null, 2)}\n`;
  const check = validateDocument(text, {
    lang: opts.lang,
    ...(config.services ? { services: config.services } : {}),
  });
  if (!check.valid)
    throw invalidDraft(
      check.findings
        .filter((f) => f.severity === 'error')
        .map((f) => ({ rule: f.rule, pointer: f.pointer, message: f.message })),
    );

  // A token's PIN is asked only now, for a draft that will be signed: a wrong PIN spends one
  // of the token's few attempts, never on a draft that was invalid anyway.
  const identity = key ? await key.load() : undefined;
  let signed = false;
  if (identity) {
    const stamp = opts.timestamp === false ? undefined : timestampFor(doc, config.timestamp?.url);
    const signedDoc = await signDocument(doc, identity, {
      ...(opts.now ? { now: opts.now } : {}),
      ...(stamp ? { timestamp: stamp } : {}),
    });
    text = `${JSON.stringify(signedDoc, null, 2)}\n`;
    signed = true;
  }

  const folder = outputFolder(opts, config);
  const name = `${handoverStem(doc)}.handover.json`;
  const file = join(folder, name);
  const bytes = Buffer.from(text, 'utf8');
  const sha256 = sha256Hex(bytes);
  // The same choice as `handover letter`: the worker's, else the recipient municipality's
  // language status (SPEC §6), else the configured default.
  const lang = chooseLetterLanguage({
    explicit: opts.letterLang ?? letterLang,
    municipalityCode: letterMunicipalityCode(doc),
    configured: config.defaults?.letterLanguage,
  });
  const extra: { kind: string; path: string; data: string | Uint8Array }[] = [];
  if (identity && opts.letter !== false) {
    const tsaUrl = opts.timestamp === false ? undefined : config.timestamp?.url;
    const rendered = await buildLetterFiles({
      doc: JSON.parse(text) as Handover,
      fileBytes: bytes,
      identity,
      letterLang: lang,
      youthCopy: opts.youthCopy ?? false,
      ...(opts.youthLang ? { youthLang: opts.youthLang } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      ...(config.signatory ? { signatory: config.signatory } : {}),
      ...(config.ombudsman ? { ombudsman: config.ombudsman } : {}),
      ...(tsaUrl ? { timestamp: { url: tsaUrl } } : {}),
      ...(ownNames(config) ? { ownNames: ownNames(config)! } : {}),
    });
    for (const f of rendered) extra.push({ kind: f.kind, path: join(folder, f.name), data: f.data });
  }
  // All files or none: a handover without its letter, or a letter without its handover, is never left behind.
  ensurePrivateDir(folder);
  writeFilesAtomic([{ path: file, data: bytes }, ...extra.map((f) => ({ path: f.path, data: f.data }))], {
    force: opts.force ?? false,
  });
  await appendAudit({
    event: 'create',
    outcome: 'ok',
    handoverId: doc.id,
    sha256,
    detail: signed ? 'signed' : 'unsigned',
  });
  if (extra.some((f) => f.kind === 'cover-letter'))
    await appendAudit({ event: 'letter', outcome: 'ok', handoverId: doc.id, sha256, detail: lang });
  if (opts.register !== false) {
    await registerSent(doc, sha256, name, opts.now ? { now: opts.now } : {});
    // The letter and the youth's copy are uses of the file (SPEC §12); the handover itself, a disclosure.
    await logDocumentUse(
      doc,
      extra.flatMap((f) =>
        f.kind === 'cover-letter'
          ? ['letter' as const]
          : f.kind === 'youth-copy'
            ? ['youth-copy' as const]
            : [],
      ),
      sha256,
    );
  }
  const written = [file, ...extra.map((f) => f.path)];
  let sealed: string[] = [];
  let sealedFor: SealResult['recipient'] | undefined;
  // SPEC §9: social-welfare data must not travel by plain e-mail, so an interactive run offers
  // to seal for a partner whose certificate we trust.
  const sealTo =
    opts.sealTo ?? (opts.interactive && opts.ask ? await offerSeal(opts.ask, doc, opts.lang) : undefined);
  if (sealTo !== undefined) {
    // Our own copies stay readable to us (0600); the .p7m files are what travels.
    const r = await seal({ files: written, to: sealTo, outDir: folder, force: opts.force ?? false });
    sealed = r.files.map((f) => f.output);
    sealedFor = r.recipient;
  }
  return {
    id: doc.id,
    file,
    files: [...written, ...sealed],
    sealed,
    ...(sealedFor ? { sealedFor } : {}),
    sha256,
    signed,
    letterLanguage: lang,
    warnings: check.findings.filter((f) => f.severity === 'warning'),
    profileSaved,
  };
}

/** The trusted certificate to seal for, chosen by the worker; the recipient's is proposed. */
async function offerSeal(ask: Ask, doc: Handover, lang: Lang): Promise<string | undefined> {
  const entries = loadTrustStore();
  if (entries.length === 0) return undefined;
  const recipient = doc.recipient.organization;
  const match = entries.find(
    (e) => e.subject.includes(recipient.businessId) || e.subject.includes(recipient.name),
  );
  const choice = await ask.select<string>({
    message: t('interview.SEAL_OFFER', lang),
    choices: [
      ...entries.map((e) => ({ value: e.fingerprint256, name: `${e.name} (${e.subject})` })),
      { value: '', name: t('interview.SEAL_NO', lang) },
    ],
    default: match?.fingerprint256 ?? '',
  });
  return choice === '' ? undefined : choice;
}

/**
 * The signing key as far as it can be known before the interview: its certificate chain (to
 * refuse another organisation's key at once) and how to load it. A software key is opened at
 * once (a missing passphrase shows before the first question); a token's is only logged into
 * by `load`, after the draft is checked.
 */
async function signingKey(
  opts: NewOptions,
  config: Config,
): Promise<Pick<SigningIdentity, 'alias' | 'chain'> & { load: () => Promise<SigningIdentity> }> {
  const alias = opts.keyAlias ?? config.defaults?.keyAlias;
  if (readKeyMeta(resolveAlias(alias))?.store === 'pkcs11') {
    let chain: SigningIdentity['chain'];
    try {
      chain = loadChain(resolveAlias(alias));
    } catch (e) {
      throw keyMissing(e, config);
    }
    return { alias: resolveAlias(alias), chain, load: () => signingIdentity(opts, config) };
  }
  const identity = await signingIdentity(opts, config);
  return { alias: identity.alias, chain: identity.chain, load: async () => identity };
}

const keyMissing = (e: unknown, config: Config): unknown =>
  e instanceof HandoverError && e.code === 'KEY_NOT_FOUND'
    ? new HandoverError('KEY_NOT_FOUND', e.exit, {
        key: ownParty(config) ? 'interview.KEY_MISSING' : 'interview.KEY_AND_PROFILE_MISSING',
        vars: e.vars,
        cause: e,
      })
    : e;

async function signingIdentity(opts: NewOptions, config: Config) {
  try {
    return await loadSigningIdentity(opts.keyAlias ?? config.defaults?.keyAlias, opts.keyStore, {
      pin: opts.pin,
    });
  } catch (e) {
    // A first-time user has neither profile nor key: say what to do in the order it works.
    if (e instanceof HandoverError && e.code === 'KEY_NOT_FOUND')
      throw new HandoverError('KEY_NOT_FOUND', e.exit, {
        key: ownParty(config) ? 'interview.KEY_MISSING' : 'interview.KEY_AND_PROFILE_MISSING',
        vars: e.vars,
        cause: e,
      });
    throw e;
  }
}

function invalidDraft(findings: ErrorDetail[]): HandoverError {
  return new HandoverError('ANSWERS_INCOMPLETE', EXIT.invalid, {
    key: 'interview.ANSWERS_INCOMPLETE',
    vars: { count: findings.length },
    details: findings.map((f) => ({ rule: f.rule, pointer: f.pointer, message: f.message })),
  });
}

/**
 * Non-interactive: every missing member, every value outside the consent scope and every
 * invalid value, all in one error (SPEC §3). Nothing outside the scope is silently dropped:
 * the back office must know what its export carried.
 */
function refuseIncomplete(
  draft: Draft,
  lang: Lang,
  catalogue: ReturnType<typeof loadCatalogue>,
  config: Config,
): void {
  const details: ErrorDetail[] = missingFields(draft).map((m) => ({
    rule: m.rule,
    pointer: m.pointer,
    message: t(m.rule === 'SCHEMA' ? 'interview.MISSING' : 'interview.MISSING_CONSENT_DETAIL', lang),
  }));
  if (draft.consent?.scope) {
    const { removed } = pruneToScope(draft, draft.consent.scope, (code) =>
      serviceCategories({ code }, catalogue),
    );
    for (const r of removed)
      details.push({
        rule: 'CONSENT_SCOPE',
        pointer: r.pointer,
        message: t('interview.OUT_OF_SCOPE', lang, { category: r.category }),
      });
  }
  const covered = (p: string) =>
    details.some((d) => d.pointer !== undefined && (p === d.pointer || p.startsWith(`${d.pointer}/`)));
  const check = validateDocument(JSON.stringify(ordered(draft)), {
    lang,
    ...(config.services ? { services: config.services } : {}),
  });
  for (const f of check.findings) {
    if (f.severity !== 'error' || covered(f.pointer)) continue;
    // A missing member the list above already names by its leaf is not repeated by its parent.
    const under = details.filter((d) => d.pointer?.startsWith(`${f.pointer}/`));
    if (under.some((d) => f.rule === 'SCHEMA' || d.rule === f.rule)) continue;
    details.push({ rule: f.rule, pointer: f.pointer, message: f.message });
  }
  if (details.length > 0) throw invalidDraft(details);
}

/**
 * `handover config get|set|list`: the own organisation profile and defaults under
 * HANDOVER_HOME, every value checked with the rule a handover file would get for it.
 */
import { readFileSync } from 'node:fs';
import {
  CONFIG_KEYS,
  flattenParty,
  getKey,
  type KeySpec,
  keySpec,
  listKeys,
  normaliseValue,
  setKey,
  unsetKey,
  type ValueProblem,
} from '../config/keys.js';
import {
  type Config,
  configPath,
  isSharedKey,
  loadConfig,
  loadLocalConfig,
  registerUrl,
  saveConfig,
  sharedPart,
} from '../config/store.js';
import { type ErrorDetail, EXIT, HandoverError } from '../core/errors.js';
import { type Lang, t } from '../i18n/index.js';
import { osUser } from '../register/audit-types.js';
import { appendAudit, loadOffice, officeRegister, redactUrl } from '../register/index.js';

/**
 * Writes the shared sections of `next` to the office's profile (SPEC §11: every worker signs,
 * bills and checks NOT_ADDRESSED_TO_US alike), audited with the keys that changed, never their
 * values. Returns where it went.
 */
async function saveShared(url: string, change: (profile: Config) => Config, keys: string[]): Promise<string> {
  const reg = await officeRegister(url);
  const next = sharedPart(change(((await reg.profile()) ?? {}) as Config));
  await reg.setProfile(next as Record<string, unknown>, osUser());
  await appendAudit({ event: 'config', outcome: 'ok', detail: `shared:${keys.join(',').slice(0, 200)}` });
  await loadOffice();
  return reg.location;
}

export interface ConfigGetResult {
  key: string;
  value: string;
}
export interface ConfigSetResult {
  path: string;
  /** The keys written by this run, with their stored (normalised) values. */
  set: Record<string, string>;
  /** Keys removed (--unset, or a Party file that no longer has them). */
  unset: string[];
}
export interface ConfigListResult {
  path: string;
  values: Record<string, string>;
  /**
   * The office's database could not be read: `values` holds this worker's own settings only
   * (the shared profile is the office's, and is never shown from a stale local copy).
   */
  office?: { reachable: false; error: { code: string; message: string } };
}

function spec(key: string): KeySpec {
  const s = keySpec(key);
  if (!s)
    throw new HandoverError('CONFIG_KEY_UNKNOWN', EXIT.usage, {
      key: 'config.CONFIG_KEY_UNKNOWN',
      vars: { key: key.slice(0, 80) },
    });
  return s;
}

const problemDetail = (p: ValueProblem, lang: Lang): ErrorDetail => ({
  rule: p.rule,
  pointer: `/${p.key.replace(/\./g, '/')}`,
  message: t(`interview.${p.reason}`, lang, p.vars),
});

function invalid(problems: ValueProblem[], lang: Lang): HandoverError {
  const first = problems[0]!;
  return new HandoverError(problems.length === 1 ? first.rule : 'CONFIG_INVALID_VALUES', EXIT.invalid, {
    key: 'config.VALUE_INVALID',
    vars: { key: first.key, count: problems.length },
    details: problems.map((p) => problemDetail(p, lang)),
  });
}

/**
 * A value as it may be printed: the database address without its password (issue 22.11), as
 * every other message shows it. The file keeps the whole address.
 */
const shown = (key: string, value: string): string => (key === 'register.url' ? redactUrl(value) : value);
const shownAll = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, shown(k, v)]));

export function configGet(opts: { key: string }): ConfigGetResult {
  spec(opts.key);
  const value = getKey(loadConfig(), opts.key);
  if (value === undefined)
    throw new HandoverError('CONFIG_NOT_SET', EXIT.invalid, {
      key: 'config.CONFIG_NOT_SET',
      vars: { key: opts.key },
    });
  return { key: opts.key, value: shown(opts.key, value) };
}

export function configList(lang: Lang = 'en'): ConfigListResult {
  try {
    return { path: configPath(), values: shownAll(listKeys(loadConfig())) };
  } catch (e) {
    // The office is down: list what this machine knows, and say what is missing and why.
    if (!(e instanceof HandoverError) || e.exit !== EXIT.environment || !registerUrl()) throw e;
    const own = loadLocalConfig();
    const shared = sharedPart(own);
    const local = Object.fromEntries(Object.entries(own).filter(([k]) => !(k in shared))) as Config;
    return {
      path: configPath(),
      values: shownAll(listKeys(local)),
      office: { reachable: false, error: { code: e.code, message: t(e.key, lang, e.vars) } },
    };
  }
}

export async function configSet(opts: { key: string; value: string; lang: Lang }): Promise<ConfigSetResult> {
  const s = spec(opts.key);
  const r = normaliseValue(s, opts.value);
  if ('problem' in r) throw invalid([r.problem], opts.lang);
  const url = registerUrl();
  if (url && isSharedKey(s.key)) {
    const where = await saveShared(url, (c) => setKey(c, s.key, r.value), [s.key]);
    return { path: where, set: shownAll({ [s.key]: r.value }), unset: [] };
  }
  saveConfig(setKey(loadLocalConfig(), s.key, r.value));
  return { path: configPath(), set: shownAll({ [s.key]: r.value }), unset: [] };
}

export async function configUnset(opts: { key: string }): Promise<ConfigSetResult> {
  spec(opts.key);
  const url = registerUrl();
  if (url && isSharedKey(opts.key)) {
    const where = await saveShared(url, (c) => unsetKey(c, opts.key), [opts.key]);
    return { path: where, set: {}, unset: [opts.key] };
  }
  saveConfig(unsetKey(loadLocalConfig(), opts.key));
  return { path: configPath(), set: {}, unset: [opts.key] };
}

const PARTY_ROOTS = ['organization', 'contact', 'backupContact'] as const;

/** Whole-Party requirements the single keys cannot check: required members, a way to reach each person. */
function partyProblems(values: Record<string, string>): ValueProblem[] {
  const out: ValueProblem[] = [];
  for (const key of ['organization.name', 'organization.businessId'])
    if (!(key in values)) out.push({ key, rule: 'SCHEMA', reason: 'CHECK_required' });
  for (const person of ['contact', 'backupContact']) {
    const present = Object.keys(values).some((k) => k.startsWith(`${person}.`));
    if (!present) continue;
    if (!(`${person}.name` in values))
      out.push({ key: `${person}.name`, rule: 'SCHEMA', reason: 'CHECK_required' });
    if (!(`${person}.email` in values) && !(`${person}.phone` in values))
      out.push({ key: `${person}.email`, rule: 'SCHEMA', reason: 'CHECK_reach' });
  }
  return out;
}

/** Loads a whole Party (organisation, contact, backup contact) at once, replacing the saved one. */
export async function configSetFile(opts: { file: string; lang: Lang }): Promise<ConfigSetResult> {
  let party: unknown;
  try {
    party = JSON.parse(readFileSync(opts.file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.file }, cause: e });
    throw new HandoverError('CONFIG_FILE_INVALID', EXIT.invalid, {
      key: 'config.CONFIG_FILE_INVALID',
      vars: { file: opts.file },
      cause: e,
    });
  }
  const { values, unknown } = flattenParty(party);
  const problems: ValueProblem[] = unknown.map((key) => ({
    key,
    rule: 'SCHEMA',
    reason: 'CHECK_unknownKey',
  }));
  const normalised: Record<string, string> = {};
  for (const [key, raw] of Object.entries(values)) {
    const r = normaliseValue(spec(key), raw);
    if ('problem' in r) problems.push(r.problem);
    else normalised[key] = r.value;
  }
  problems.push(...partyProblems(values));
  if (problems.length > 0) throw invalid(problems, opts.lang);

  const before = loadConfig();
  // Only the Party's own members are replaced: billing, signatory and the rest stay.
  const unset = CONFIG_KEYS.map((k) => k.key).filter(
    (k) =>
      (PARTY_ROOTS as readonly string[]).includes(k.split('.')[0]!) &&
      getKey(before, k) !== undefined &&
      !(k in normalised),
  );
  const url = registerUrl();
  if (url) {
    // The organisation goes to the office's profile; the contact persons stay the worker's own.
    const shared = Object.keys(normalised).filter(isSharedKey);
    await saveShared(
      url,
      (c) => {
        let p: Config = { ...c };
        delete p.organization;
        for (const k of shared) p = setKey(p, k, normalised[k]!);
        return p;
      },
      ['organization'],
    );
  }
  const local = loadLocalConfig();
  let mine: Config = { ...local };
  for (const root of PARTY_ROOTS) if (!url || !isSharedKey(root)) delete mine[root];
  for (const [key, value] of Object.entries(normalised))
    if (!url || !isSharedKey(key)) mine = setKey(mine, key, value);
  saveConfig(mine);
  return { path: configPath(), set: normalised, unset };
}
/** The dotted keys, for the help of `config set`. */
export { CONFIG_KEYS };

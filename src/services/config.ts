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
import { type Config, configPath, loadConfig, saveConfig } from '../config/store.js';
import { type ErrorDetail, EXIT, HandoverError } from '../errors.js';
import { type Lang, t } from '../i18n/index.js';

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

export function configGet(opts: { key: string }): ConfigGetResult {
  spec(opts.key);
  const value = getKey(loadConfig(), opts.key);
  if (value === undefined)
    throw new HandoverError('CONFIG_NOT_SET', EXIT.invalid, {
      key: 'config.CONFIG_NOT_SET',
      vars: { key: opts.key },
    });
  return { key: opts.key, value };
}

export function configList(): ConfigListResult {
  return { path: configPath(), values: listKeys(loadConfig()) };
}

export function configSet(opts: { key: string; value: string; lang: Lang }): ConfigSetResult {
  const s = spec(opts.key);
  const r = normaliseValue(s, opts.value);
  if ('problem' in r) throw invalid([r.problem], opts.lang);
  saveConfig(setKey(loadConfig(), s.key, r.value));
  return { path: configPath(), set: { [s.key]: r.value }, unset: [] };
}

export function configUnset(opts: { key: string }): ConfigSetResult {
  spec(opts.key);
  saveConfig(unsetKey(loadConfig(), opts.key));
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
export function configSetFile(opts: { file: string; lang: Lang }): ConfigSetResult {
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
  let next: Config = { ...before };
  for (const root of PARTY_ROOTS) delete next[root];
  for (const [key, value] of Object.entries(normalised)) next = setKey(next, key, value);
  const unset = CONFIG_KEYS.map((k) => k.key).filter(
    (k) => !k.startsWith('defaults.') && getKey(before, k) !== undefined && !(k in normalised),
  );
  saveConfig(next);
  return { path: configPath(), set: normalised, unset };
}

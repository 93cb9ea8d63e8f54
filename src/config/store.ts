/**
 * The own organisation profile and defaults: HANDOVER_HOME/config.json, written atomically.
 * The Party follows the handover schema's Party shape so that it is validated by the same rules.
 */

import { readFileSync } from 'node:fs';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath } from '../core/paths.js';
import type { ServiceOverrides } from '../domain/catalogue.js';
import type { Lang } from '../domain/language.js';
import type { OwnNames } from '../domain/organisers.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Party } from '../schema/types.js';

export interface Defaults {
  /** Language of prompts and messages. */
  language?: Lang;
  /** Letter language when the recipient municipality does not decide it. */
  letterLanguage?: Lang;
  /** Folder where `new` writes its files. */
  outputFolder?: string;
  /** Alias of the signing key. */
  keyAlias?: string;
  /** Key store backend: the OS keychain (default) or an encrypted PKCS#8 file. */
  keyStore?: 'keychain' | 'file';
  /** Days from creation to the reply-by date the letter asks for (default 14). */
  replyDays?: string;
}

export interface Config {
  /** The own organisation, in the Party shape of the handover schema. */
  organization?: Party['organization'];
  contact?: Party['contact'];
  backupContact?: Party['backupContact'];
  /** Where invoices to the own organisation go (Party.billing). */
  billing?: Party['billing'];
  /**
   * The own organisation's name in Finnish and Swedish, for letters in each language; the
   * handover file carries `organization.name` as the session's language wrote it.
   */
  organizationName?: { fi?: string; sv?: string };
  /** The official who signs letters. */
  signatory?: { name: string; title: string };
  /** The organisation's social welfare ombudsman, printed in the youth's copy. */
  ombudsman?: { name?: string; phone?: string; email?: string };
  defaults?: Defaults;
  /** The RFC 3161 timestamp authority that signatures are stamped by. */
  timestamp?: { url?: string };
  /** The office's shared PostgreSQL database (SPEC §11); HANDOVER_DATABASE_URL wins. */
  register?: { url?: string };
  /** Where `trust refresh` fetches the partner directory (SPEC §13). */
  directory?: { url?: string };
  /** The organisation's own additions and overrides to the service catalogue. */
  services?: ServiceOverrides;
}

export const configPath = (): string => homePath('config.json');

/**
 * What an office shares (SPEC §11): with a shared database these sections live there, so that
 * every worker signs, bills and checks NOT_ADDRESSED_TO_US alike; each worker keeps their own
 * contact, defaults and the database's address in config.json.
 */
export const SHARED_SECTIONS = ['organization', 'billing', 'signatory', 'ombudsman', 'services'] as const;
export const isSharedKey = (key: string): boolean =>
  (SHARED_SECTIONS as readonly string[]).includes(key.split('.')[0]!);

/** This worker's own config.json, without the office's shared profile. */
export function loadLocalConfig(): Config {
  let text: string;
  try {
    text = readFileSync(configPath(), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new HandoverError('CONFIG_UNREADABLE', EXIT.environment, {
      vars: { file: configPath() },
      cause: e,
    });
  }
  try {
    const c = JSON.parse(text) as unknown;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new Error('not an object');
    return c as Config;
  } catch (e) {
    throw new HandoverError('CONFIG_INVALID', EXIT.environment, { vars: { file: configPath() }, cause: e });
  }
}

/** The office's database, when this worker has one: HANDOVER_DATABASE_URL, else register.url. */
export function registerUrl(local?: Config): string | undefined {
  const env = process.env.HANDOVER_DATABASE_URL;
  if (env && env.trim() !== '') return env.trim();
  const url = (local ?? loadLocalConfig()).register?.url;
  return url && url.trim() !== '' ? url : undefined;
}

/**
 * The office's shared profile as read at the start of the command (register/office.ts reads
 * it, since reading a database is asynchronous and this module is not); an Error when the
 * database could not be read.
 */
let shared: { url: string; profile: Config } | { url: string; error: Error } | undefined;

export function setSharedProfile(url: string, profile: Config | Error): void {
  shared = profile instanceof Error ? { url, error: profile } : { url, profile };
}

const withoutShared = (c: Config): Config => {
  const copy: Config = { ...c };
  for (const k of SHARED_SECTIONS) delete copy[k];
  return copy;
};

/**
 * The worker's config with the office's profile in place of its own shared sections. An
 * office whose profile was not read yet gives none of them (never a stale local copy that
 * would sign in a name the office no longer uses); one that could not be read is an error.
 */
export function loadConfig(): Config {
  const local = loadLocalConfig();
  const url = registerUrl(local);
  if (!url) return local;
  if (shared?.url !== url) return withoutShared(local);
  if ('error' in shared) throw shared.error;
  const merged: Config = withoutShared(local);
  for (const k of SHARED_SECTIONS)
    if (shared.profile[k] !== undefined) Object.assign(merged, { [k]: shared.profile[k] });
  return merged;
}

/** The shared sections of a config, as the office stores them. */
export function sharedPart(c: Config): Config {
  const out: Config = {};
  for (const k of SHARED_SECTIONS) if (c[k] !== undefined) Object.assign(out, { [k]: c[k] });
  return out;
}

/** Writes this worker's config.json (an office's shared profile is written by services/config.ts). */
export function saveConfig(config: Config): void {
  writeFileAtomic(configPath(), `${JSON.stringify(config, null, 2)}\n`, { force: true, mkdir: true });
}

/** The own organisation as a Party, or undefined when no profile has been saved. */
/** Our organisation's name in each language, for the letter (undefined without a profile). */
export function ownNames(config: Config = loadConfig()): OwnNames | undefined {
  const org = config.organization;
  if (!org?.businessId) return undefined;
  const n = config.organizationName ?? {};
  return { businessId: org.businessId, ...(n.fi ? { fi: n.fi } : {}), ...(n.sv ? { sv: n.sv } : {}) };
}

export function ownParty(config: Config): Party | undefined {
  if (!config.organization) return undefined;
  const p: Party = { organization: config.organization };
  if (config.contact) p.contact = config.contact;
  if (config.backupContact) p.backupContact = config.backupContact;
  if (config.billing && Object.keys(config.billing).length > 0) p.billing = config.billing;
  return p;
}

/**
 * The configured language of messages, read before any command runs (SPEC §3: one language
 * for everything a command says).
 */
export function configuredLanguage(): string | undefined {
  try {
    return loadLocalConfig().defaults?.language;
  } catch {
    // A damaged config is reported by the command that needs it, not by the choice of language.
    return undefined;
  }
}

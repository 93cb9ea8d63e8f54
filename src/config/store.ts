/**
 * The own organisation profile and defaults: HANDOVER_HOME/config.json, written atomically.
 * The Party follows the handover schema's Party shape so that it is validated by the same rules.
 */

import { readFileSync } from 'node:fs';
import type { Lang } from '../domain/language.js';
import { EXIT, HandoverError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { homePath } from '../paths.js';
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
  /** The official who signs letters. */
  signatory?: { name: string; title: string };
  /** The organisation's social welfare ombudsman, printed in the youth's copy. */
  ombudsman?: { name?: string; phone?: string; email?: string };
  defaults?: Defaults;
  /** The RFC 3161 timestamp authority that signatures are stamped by. */
  timestamp?: { url?: string };
  /** The organisation's own additions and overrides to the service catalogue. */
  services?: Record<
    string,
    {
      classification?: 'aftercare' | 'basic' | 'needs-agreement';
      categories?: string[];
      name?: Record<string, string>;
    }
  >;
}

export const configPath = (): string => homePath('config.json');

export function loadConfig(): Config {
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

export function saveConfig(config: Config): void {
  writeFileAtomic(configPath(), `${JSON.stringify(config, null, 2)}\n`, { force: true, mkdir: true });
}

/** The own organisation as a Party, or undefined when no profile has been saved. */
export function ownParty(config: Config = loadConfig()): Party | undefined {
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
    return loadConfig().defaults?.language;
  } catch {
    // A damaged config is reported by the command that needs it, not by the choice of language.
    return undefined;
  }
}

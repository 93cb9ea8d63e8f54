/**
 * The service catalogue (SPEC §5.2): the bundled templates/data/services.json plus the
 * organisation's additions and overrides from config (`services`).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';
import type { Category as SchemaCategory } from '../schema/types.js';
import type { Lang } from './language.js';

// The schema's Category enum, in checklist order; a test holds the two lists equal.
export const CATEGORIES = [
  'identity',
  'contact',
  'entitlement',
  'clientPlan',
  'services',
  'health',
  'substanceUse',
  'education',
  'finances',
] as const satisfies readonly SchemaCategory[];
export type Category = (typeof CATEGORIES)[number];
export const CLASSIFICATIONS = ['aftercare', 'basic', 'needs-agreement', 'youth-funds'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
const isClassification = (c: unknown): c is Classification =>
  (CLASSIFICATIONS as readonly unknown[]).includes(c);

/** The classifications format 1.0 knows; 'youth-funds' came with 1.1. */
export type Classification10 = Exclude<Classification, 'youth-funds'>;

/** Classifications a file of each format version may carry. */
const CLASSIFICATIONS_BY_VERSION: Readonly<Record<string, readonly Classification[]>> = {
  '1.0': ['aftercare', 'basic', 'needs-agreement'],
  '1.1': CLASSIFICATIONS,
  '1.2': CLASSIFICATIONS,
};

/** How a 1.0 file writes a classification it has no value for (SPEC §5.2). */
const in10 = (c: Classification): Classification10 => (c === 'youth-funds' ? 'aftercare' : c);

export interface CatalogueEntry {
  code: string;
  /**
   * The default as a 1.0 file writes it, which is what today's writers produce. For the
   * default of a given version use defaultClassification(code, schemaVersion).
   */
  classification: Classification10;
  /** The default in the newest format (independence funds: 'youth-funds'). */
  newestClassification: Classification;
  categories: Category[];
  name: { fi: string; sv: string; en: string };
  /** Added or changed by the organisation's config. */
  local: boolean;
}

export type Catalogue = ReadonlyMap<string, CatalogueEntry>;

/** The organisation's own additions and overrides to the catalogue (config `services`). */
export type ServiceOverrides = Record<
  string,
  {
    classification?: 'aftercare' | 'basic' | 'needs-agreement';
    categories?: string[];
    name?: Record<string, string>;
  }
>;

const isCategory = (c: unknown): c is Category => (CATEGORIES as readonly unknown[]).includes(c);

let bundled: Catalogue | undefined;

function loadBundled(): Catalogue {
  if (!bundled) {
    const data = JSON.parse(readFileSync(join(templatesDir(), 'data', 'services.json'), 'utf8')) as {
      services: Record<string, Omit<CatalogueEntry, 'code' | 'local' | 'newestClassification'>>;
    };
    bundled = new Map(
      Object.entries(data.services).map(
        ([code, e]) =>
          [
            code,
            {
              ...e,
              code,
              classification: in10(e.classification),
              newestClassification: e.classification,
              local: false,
            },
          ] as const,
      ),
    );
  }
  return bundled;
}

/**
 * The catalogue in use: bundled entries, with the organisation's entries merged over them
 * (a partial override keeps the bundled values it does not name; a new code without a
 * classification needs agreement, since nobody has decided who pays for it).
 */
export function loadCatalogue(overrides?: ServiceOverrides): Catalogue {
  const base = loadBundled();
  if (!overrides || typeof overrides !== 'object') return base;
  const merged = new Map(base);
  for (const [code, o] of Object.entries(overrides)) {
    if (!o || typeof o !== 'object') continue;
    const prev = base.get(code);
    const requested: unknown = o.classification;
    const newest = isClassification(requested)
      ? requested
      : (prev?.newestClassification ?? 'needs-agreement');
    const categories = Array.isArray(o.categories)
      ? o.categories.filter(isCategory)
      : (prev?.categories ?? []);
    const n = o.name && typeof o.name === 'object' ? o.name : {};
    const fallback = prev?.name ?? { fi: code, sv: code, en: code };
    const name = {
      fi: n.fi ?? fallback.fi,
      sv: n.sv ?? fallback.sv,
      en: n.en ?? fallback.en,
    };
    merged.set(code, {
      code,
      classification: in10(newest),
      newestClassification: newest,
      categories,
      name,
      local: true,
    });
  }
  return merged;
}

export const catalogueEntry = (
  code: unknown,
  catalogue: Catalogue = loadCatalogue(),
): CatalogueEntry | undefined => (typeof code === 'string' ? catalogue.get(code) : undefined);

/** A service's categories for the consent scope: its own tags together with its code's defaults. */
export function serviceCategories(
  service: { code?: unknown; categories?: unknown },
  catalogue: Catalogue = loadCatalogue(),
): Category[] {
  const own = Array.isArray(service.categories) ? service.categories.filter(isCategory) : [];
  const defaults = catalogueEntry(service.code, catalogue)?.categories ?? [];
  return [...new Set([...own, ...defaults])];
}

/** The service's name in a language; the code itself when the catalogue does not know it. */
export function serviceName(code: string, lang: Lang, catalogue: Catalogue = loadCatalogue()): string {
  return catalogue.get(code)?.name[lang] ?? code;
}

/**
 * The classification a new service of this code gets in a file of `schemaVersion`: the
 * catalogue's default, except where that version cannot express it. A 1.0 file has no
 * "youth-funds", and independence funds were written there as "aftercare" (SPEC §5.2).
 * Undefined for a code the catalogue does not know; an unknown version is read as the newest.
 */
export function defaultClassification(
  code: unknown,
  schemaVersion: unknown,
  catalogue: Catalogue = loadCatalogue(),
): Classification | undefined {
  const entry = catalogueEntry(code, catalogue);
  if (!entry) return undefined;
  const allowed = typeof schemaVersion === 'string' ? CLASSIFICATIONS_BY_VERSION[schemaVersion] : undefined;
  const newest = entry.newestClassification;
  return !allowed || allowed.includes(newest) ? newest : in10(newest);
}

/**
 * The service catalogue (SPEC §5.2): the bundled templates/data/services.json plus the
 * organisation's additions and overrides from config (`services`).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/store.js';
import { templatesDir } from '../paths.js';
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
export type Classification = 'aftercare' | 'basic' | 'needs-agreement';
const CLASSIFICATIONS: readonly string[] = ['aftercare', 'basic', 'needs-agreement'];

export interface CatalogueEntry {
  code: string;
  classification: Classification;
  categories: Category[];
  name: { fi: string; sv: string; en: string };
  /** Added or changed by the organisation's config. */
  local: boolean;
}

export type Catalogue = ReadonlyMap<string, CatalogueEntry>;

export type ServiceOverrides = NonNullable<Config['services']>;

const isCategory = (c: unknown): c is Category => (CATEGORIES as readonly unknown[]).includes(c);

let bundled: Catalogue | undefined;

function loadBundled(): Catalogue {
  if (!bundled) {
    const data = JSON.parse(readFileSync(join(templatesDir(), 'data', 'services.json'), 'utf8')) as {
      services: Record<string, Omit<CatalogueEntry, 'code' | 'local'>>;
    };
    bundled = new Map(
      Object.entries(data.services).map(([code, e]) => [code, { ...e, code, local: false }] as const),
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
    const classification =
      typeof o.classification === 'string' && CLASSIFICATIONS.includes(o.classification)
        ? o.classification
        : (prev?.classification ?? 'needs-agreement');
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
    merged.set(code, { code, classification, categories, name, local: true });
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

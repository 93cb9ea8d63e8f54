/**
 * The organisers of social services (templates/data/organisers.json): the 21 wellbeing
 * services counties and the City of Helsinki, with their Finnish and Swedish names, so that a
 * Swedish interview proposes "Helsingfors stad", not "Helsingin kaupunki" (SPEC §4.10).
 * Åland is outside the reform: no organiser is proposed there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';
import { byCode } from './municipalities.js';

export interface Organiser {
  code: string;
  name_fi: string;
  name_sv: string;
  /** Only from a cited public source (the data's source note); never guessed. */
  businessId?: string;
}

let byName: ReadonlyMap<string, Organiser> | undefined;

// Read once, on first use.
function load(): ReadonlyMap<string, Organiser> {
  if (!byName) {
    const data = JSON.parse(readFileSync(join(templatesDir(), 'data', 'organisers.json'), 'utf8')) as {
      organisers: Organiser[];
    };
    byName = new Map(data.organisers.map((o) => [o.name_fi, o]));
  }
  return byName;
}

/** The organiser for a municipality code, or undefined (Åland, an unknown code). */
export function organiserOf(municipalityCode: unknown): Organiser | undefined {
  const county = byCode(municipalityCode)?.wellbeing_county;
  return county ? load().get(county) : undefined;
}

/** Its name in a language: Swedish in Swedish, the Finnish (official) name otherwise. */
export const organiserName = (o: Organiser, lang: string): string => (lang === 'sv' ? o.name_sv : o.name_fi);

/** The own organisation's name in each language, from the profile (`organizationName.fi|sv`). */
export interface OwnNames {
  businessId: string;
  fi?: string;
  sv?: string;
}

/** An organisation's names as the partner directory lists them. */
export interface PartnerNames {
  businessId: string;
  name: { fi: string; sv?: string | undefined; en?: string | undefined };
}

/**
 * An organisation's name in a letter's language (SPEC §6): the profile's own names for our
 * organisation, the bundled list's for an organiser (matched by its Finnish or Swedish name),
 * else the name as the file has it. English letters use the official Finnish name (a
 * directory's English name where it gives one).
 */
export function nameInLanguage(
  org: { name: string; businessId: string },
  lang: string,
  own?: OwnNames,
  partners?: readonly PartnerNames[],
): string {
  const l = lang === 'sv' ? 'sv' : 'fi';
  if (own && own.businessId === org.businessId) {
    const mine = own[l];
    if (mine) return mine;
  }
  // The partner directory names each organisation per language, matched by business ID (SPEC §13).
  const listed = partners?.find((p) => p.businessId === org.businessId);
  if (listed) return (lang === 'en' ? listed.name.en : undefined) ?? listed.name[l] ?? listed.name.fi;
  const known = load().get(org.name) ?? [...load().values()].find((o) => o.name_sv === org.name);
  return known ? organiserName(known, l) : org.name;
}

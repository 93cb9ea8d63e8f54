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

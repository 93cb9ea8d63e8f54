// The example partner directory of the demo (SPEC §13): the 23 organisers with their names from
// the bundled organiser list, and TEST business IDs and certificates. No real business ID is
// bundled (templates/data/organisers.json says why), so none is used here: every ID below is a
// made-up value with a valid check digit, and the entries file says so in its `note`.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A business ID with a valid check digit from a 7-digit base, or undefined where none exists (r = 1). */
export function businessIdOf(base) {
  const digits = String(base).padStart(7, '0');
  const s = [7, 9, 10, 5, 8, 4, 2].reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const r = s % 11;
  if (r === 1) return undefined;
  return `${digits}-${r === 0 ? 0 : 11 - r}`;
}

/**
 * The entries of the example directory. `own` replaces the generated test certificate of an
 * organiser by a real one of the demo ({ code, businessId, certPem }), matched by the
 * organiser's code in the bundled list.
 */
export async function exampleEntries(own = []) {
  const { createSelfSigned } = await import(join(root, 'dist', 'signing', 'certs.js'));
  const data = JSON.parse(readFileSync(join(root, 'templates', 'data', 'organisers.json'), 'utf8'));
  const municipalities = JSON.parse(
    readFileSync(join(root, 'templates', 'data', 'municipalities.json'), 'utf8'),
  );
  const list = Array.isArray(municipalities) ? municipalities : (municipalities.municipalities ?? []);
  const organisers = [...data.organisers, data.aland];
  const entries = [];
  let base = 1000;
  for (const o of organisers) {
    const mine = own.find((x) => x.code === o.code);
    let businessId = mine?.businessId;
    while (!businessId) businessId = businessIdOf(9900000 + base++);
    let certPem = mine?.certPem;
    if (!certPem) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const cert = await createSelfSigned({ privateKey, organizationName: o.name_fi, businessId });
      certPem = cert.toString();
    }
    const der = certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const area = list
      .filter((m) => m.wellbeing_county === o.name_fi || (o.code === '91' && m.wellbeing_county === null))
      .map((m) => m.code)
      .sort();
    const swedish = o.code === '91';
    entries.push({
      businessId,
      name: { fi: o.name_fi, sv: o.name_sv },
      ...(area.length ? { municipalityCodes: area } : {}),
      languages: swedish ? ['sv'] : ['fi', 'sv'],
      handoverContact: { email: `jalkihuolto.${o.code}@example.invalid` },
      certificates: [der],
    });
  }
  return {
    note: 'EXAMPLE ONLY: the business IDs, certificates and addresses below are test values, not those of the organisers.',
    entries,
  };
}

// What the import benchmarks share: two organisations (Pirkanmaa sends, Pohjanmaa receives)
// with file-store keys in temporary HANDOVER_HOMEs under `base`, trusting each other, and
// the bundled example handover signed from A to B as many times as asked, each with a fresh id.
// Needs a build.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = (p) => import(join(root, 'dist', p));
const { saveConfig } = await dist('config/store.js');
const { initKey, exportKey } = await dist('services/keys.js');
const { addTrusted } = await dist('signing/trust.js');
const { loadSigningIdentity } = await dist('keystore/index.js');
const { signDocument } = await dist('signing/jws.js');

export const PASSPHRASE = 'bench-only-passphrase';

/** Runs fn with the organisation's HANDOVER_HOME and key passphrase in the environment. */
export function as(org, fn) {
  process.env.HANDOVER_HOME = org.home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASSPHRASE;
  return fn();
}

async function makeOrg(base, tag, name, businessId, municipalityCode) {
  const org = { name, businessId, home: join(base, `${tag}-home`), dir: join(base, `${tag}-files`) };
  mkdirSync(org.home, { recursive: true, mode: 0o700 });
  mkdirSync(org.dir, { recursive: true, mode: 0o700 });
  await as(org, async () => {
    saveConfig({
      organization: { name, businessId, municipalityCode },
      contact: { name: `Työntekijä ${municipalityCode}`, email: `worker${municipalityCode}@example.fi` },
      defaults: { keyStore: 'file', outputFolder: org.dir },
    });
    await initKey({ store: 'file' });
    org.certPem = (await exportKey({})).pem;
  });
  return org;
}

/** The sender A and the receiver B, each trusting the other. */
export async function makeOrgs(base) {
  const A = await makeOrg(base, 'a', 'Pirkanmaan hyvinvointialue', '1572860-0', '837');
  const B = await makeOrg(base, 'b', 'Pohjanmaan hyvinvointialue', '0166906-4', '905');
  as(A, () => addTrusted(B.certPem));
  as(B, () => addTrusted(A.certPem));
  return { A, B };
}

/** `n` copies of the example handover from A to B, signed by A, written under `dir`; their paths. */
export async function signedHandovers(A, B, dir, n) {
  const example = JSON.parse(
    readFileSync(join(root, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'),
  );
  delete example.signature;
  mkdirSync(dir, { recursive: true });
  return as(A, async () => {
    const id = await loadSigningIdentity();
    const made = [];
    for (let i = 0; i < n; i++) {
      const doc = structuredClone(example);
      doc.id = randomUUID();
      doc.sender.organization = { ...doc.sender.organization, name: A.name, businessId: A.businessId };
      doc.recipient.organization = { ...doc.recipient.organization, name: B.name, businessId: B.businessId };
      const path = join(dir, `${String(i).padStart(6, '0')}.handover.json`);
      writeFileSync(path, `${JSON.stringify(await signDocument(doc, id), null, 2)}\n`);
      made.push(path);
    }
    return made;
  });
}

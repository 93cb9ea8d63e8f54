#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// `npm run demo`: the whole exchange between two organisations, non-interactively, on the
// example handover, in a fresh temporary folder. Nothing outside that folder is touched: each
// organisation gets its own HANDOVER_HOME there, and keys live in encrypted files (no OS
// keychain needed). The folder is left in place so that the files can be opened afterwards.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the two workers read to each other on the phone before trusting a certificate. */
const fingerprintOf = (file) => new X509Certificate(readFileSync(file)).fingerprint256;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'run.js');
const example = join(root, 'templates', 'examples', 'aftercare.handover.json');

if (!existsSync(join(root, 'dist', 'commands'))) {
  console.log('Building the command line tool first (npm run build)…');
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const demo = mkdtempSync(join(tmpdir(), 'handover-demo-'));
const sender = {
  name: 'Pirkanmaa (sender)',
  home: join(demo, 'pirkanmaa-home'),
  out: join(demo, 'pirkanmaa-out'),
};
const receiver = {
  name: 'Pohjanmaa (receiver)',
  home: join(demo, 'pohjanmaa-home'),
  out: join(demo, 'pohjanmaa-out'),
};
const coordinator = {
  name: 'Coordinator',
  home: join(demo, 'coordinator-home'),
  out: join(demo, 'coordinator-out'),
};
for (const d of [sender.out, receiver.out, coordinator.out]) mkdirSync(d, { recursive: true });

// Demo passphrases for the demo keys: real deployments set their own, or use the OS keychain.
const baseEnv = { ...process.env, HANDOVER_LANG: 'en', NO_COLOR: '1' };
delete baseEnv.CI;
const envFor = (org) => ({
  ...baseEnv,
  HANDOVER_HOME: org.home,
  HANDOVER_KEY_PASSPHRASE: `demo-${org.home}`,
});

let step = 0;
function say(text) {
  step += 1;
  console.log(`\n${step}. ${text}`);
}

/** Runs one handover command as `org`, shows it and its output, and stops the demo if it fails. */
function run(org, args, { expect = 0, quiet = false } = {}) {
  const shown = args
    .map((a) => (a.startsWith(demo) ? relative(demo, a) || '.' : a.startsWith(root) ? relative(root, a) : a))
    .map((a) => (/\s/.test(a) ? `"${a}"` : a))
    .join(' ');
  console.log(`   [${org.name}] $ handover ${shown}`);
  const r = spawnSync(process.execPath, [bin, ...args], { env: envFor(org), cwd: demo, encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`.trim();
  if (output && !quiet) console.log(output.replace(/^/gm, '     '));
  if (r.status !== expect) {
    console.error(`\nThe demo stopped: "handover ${shown}" exited with ${r.status} (expected ${expect}).`);
    console.error(`Files so far: ${demo}`);
    process.exit(1);
  }
  return r.stdout;
}

const doc = JSON.parse(readFileSync(example, 'utf8'));
const senderParty = join(demo, 'pirkanmaa-party.json');
const receiverParty = join(demo, 'pohjanmaa-party.json');
writeFileSync(senderParty, `${JSON.stringify(doc.sender, null, 2)}\n`);
writeFileSync(
  receiverParty,
  `${JSON.stringify(
    {
      organization: doc.recipient.organization,
      contact: { name: 'Nora Mottagare', title: 'socialarbetare', email: 'nora.mottagare@example.fi' },
      backupContact: { name: 'Olli Vara', title: 'sosiaaliohjaaja', phone: '+358 6 000 0004' },
    },
    null,
    2,
  )}\n`,
);

console.log(`handover demo: an aftercare handover from ${sender.name} to ${receiver.name}.`);
console.log(`All files go to ${demo}`);

say('The sending organisation saves its profile (name, business ID, contact persons) from a file.');
run(sender, ['config', 'set', '--file', senderParty]);

say(
  'It creates a signing key. For the demo the key is an encrypted file; on a desktop it would go to the OS keychain.',
);
run(sender, ['keys', 'init', '--store', 'file']);

say(
  'It makes the handover from the example draft without questions (the draft already records the consent): the signed handover file, the signed cover letter (a PDF with the file inside) and a meeting invitation.',
);
const made = JSON.parse(
  run(sender, ['new', '--answers', example, '--no-interactive', '--out', sender.out, '--json'], {
    quiet: true,
  }),
);
for (const f of made.files) console.log(`     Written: ${relative(demo, f)}`);

say('Anyone can check the file against the published schema and the rules.');
run(sender, ['validate', made.file]);

say('A readable summary of what is handed over.');
run(sender, ['show', made.file]);

say('The receiving organisation sets up its own profile and key.');
run(receiver, ['config', 'set', '--file', receiverParty]);
run(receiver, ['keys', 'init', '--store', 'file']);
const senderCert = join(demo, 'pirkanmaa-certificate.pem');
const receiverCert = join(demo, 'pohjanmaa-certificate.pem');
run(sender, ['keys', 'export', '--out', senderCert]);
run(receiver, ['keys', 'export', '--out', receiverCert]);

say(
  'A coordinator publishes the signed partner directory of the 23 organisers (here with TEST business IDs and certificates, but for the two demo organisations): one list instead of a phone call per partner.',
);
run(coordinator, ['config', 'set', 'organization.name', 'Esimerkkikoordinaattori (testi)']);
run(coordinator, ['config', 'set', 'organization.businessId', '0000000-0']);
run(coordinator, ['keys', 'init', '--store', 'file']);
const coordinatorCert = join(demo, 'coordinator-certificate.pem');
run(coordinator, ['keys', 'export', '--out', coordinatorCert]);
const { exampleEntries } = await import('./example-directory.mjs');
const entriesFile = join(demo, 'directory-entries.json');
const pem = (f) => readFileSync(f, 'utf8');
writeFileSync(
  entriesFile,
  `${JSON.stringify(
    await exampleEntries([
      { code: '08', businessId: doc.sender.organization.businessId, certPem: pem(senderCert) },
      { code: '17', businessId: doc.recipient.organization.businessId, certPem: pem(receiverCert) },
    ]),
    null,
    2,
  )}\n`,
);
const nextUpdate = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
const directory = join(demo, 'directory-1.json');
run(coordinator, [
  'directory',
  'build',
  entriesFile,
  '--sequence',
  '1',
  '--next-update',
  nextUpdate,
  '--out',
  directory,
]);

say(
  "Each organisation compares the coordinator's fingerprint once (by phone), trusts it to sign the directory, and imports the directory: every partner in it is then trusted.",
);
// No trust on first use: the fingerprint is compared by phone, then given to `trust add`.
for (const org of [sender, receiver]) {
  run(org, [
    'trust',
    'add',
    coordinatorCert,
    '--fingerprint',
    fingerprintOf(coordinatorCert),
    '--role',
    'directory',
  ]);
  run(org, ['trust', 'import-directory', directory]);
}

say('It checks the signature of the cover letter against the certificates it trusts.');
const letter = made.files.find((f) => f.endsWith('.cover-letter.pdf'));
if (letter) run(receiver, ['verify', letter]);

say(
  'It imports the handover: the signature and the content are checked, the case is registered, and a signed receipt is written.',
);
run(receiver, [
  'import',
  made.file,
  '--out',
  receiver.out,
  '--responsible',
  'Nora Mottagare',
  '--responsible-email',
  'nora.mottagare@example.fi',
]);
const receipt = readdirSync(receiver.out).find((f) => f.endsWith('.receipt.json'));
if (!receipt) {
  console.error('The demo stopped: no receipt was written.');
  process.exit(1);
}

say('The receipt goes back. The sender imports it: its register marks the handover acknowledged.');
run(sender, ['import', join(receiver.out, receipt)]);
run(sender, ['register', 'list']);

console.log(`\nDone. The files are in ${demo}:`);
for (const d of [sender.out, receiver.out])
  for (const f of readdirSync(d)) console.log(`  ${relative(demo, join(d, f))}`);
console.log(
  '\nNext: run `./bin/run.js new --lang fi` (or --lang sv) yourself for the interview; `./bin/run.js --help` lists every command.',
);

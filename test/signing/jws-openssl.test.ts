/**
 * The README recipe "Verifying a handover file with openssl alone", run exactly as printed
 * there: a receiving system without this tool checks our signature with python3 and openssl.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { softwareKey } from '../../src/keystore/software.js';
import type { SigningIdentity } from '../../src/keystore/types.js';
import { createSelfSigned } from '../../src/signing/certs.js';
import { signDocument } from '../../src/signing/jws.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { rsaKey, sampleHandover } from './jws-pki.js';

const RECIPE = `#!/bin/sh
# Verify the embedded signature of handover.json; partner.pem is the certificate the sending
# organisation gave you (compare its SHA-256 fingerprint with them by another channel).
set -eu
F=handover.json

# 1. Split the JWS "<protected>..<signature>"; rebuild the signing input
#    protected + "." + base64url(RFC 8785 canonical form of the document without "signature").
python3 - "$F" <<'PY'
import base64, json, sys
from datetime import datetime
doc = json.load(open(sys.argv[1], encoding='utf-8'))
prot, empty, sig = doc.pop('signature')['jws'].split('.')
assert empty == '', 'not a detached JWS'
# RFC 8785: sorted keys, no whitespace, UTF-8. json.dumps gives the same bytes for handover
# files (integers and plain decimals such as 42.5); for other numbers use an RFC 8785 library.
canonical = json.dumps(doc, ensure_ascii=False, separators=(',', ':'), sort_keys=True).encode('utf-8')
b64u = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
unb64u = lambda s: base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
header = json.loads(unb64u(prot))
assert header['typ'] == 'handover+jws' and header['crit'] == ['sigT'], header
print('alg', header['alg'], 'signed at', header['sigT'])
open('input.txt', 'w').write(prot + '.' + b64u(canonical))
open('sig.bin', 'wb').write(unb64u(sig))
pems = ['-----BEGIN CERTIFICATE-----\\n' + '\\n'.join(c[i:i + 64] for i in range(0, len(c), 64))
        + '\\n-----END CERTIFICATE-----\\n' for c in header['x5c']]
open('signer.pem', 'w').write(pems[0])
open('chain.pem', 'w').write(''.join(pems))
sigt = datetime.fromisoformat(header['sigT'].replace('Z', '+00:00'))
open('sigt.epoch', 'w').write(str(int(sigt.timestamp())))
# Who speaks for whom: a handover or withdrawal for its sender, a receipt for its receiver.
kind = doc.get('kind', 'handover')
party = doc['receiver'] if kind == 'receipt' else doc['sender']
open('speaks.txt', 'w').write('NTRFI-' + party['organization']['businessId'])
# sigT is only a claim: it may not be before the document's own date (no backdating).
own = doc[{'receipt': 'receivedAt', 'withdrawal': 'withdrawnAt'}.get(kind, 'createdAt')]
assert sigt >= datetime.fromisoformat(own.replace('Z', '+00:00')).replace(microsecond=0), 'backdated sigT'
PY

# 2. The signature. PS256 = RSASSA-PSS with SHA-256 and a 32-byte salt
#    (for RS256 leave out both -sigopt options).
openssl x509 -in signer.pem -pubkey -noout > pub.pem
openssl dgst -sha256 -verify pub.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -signature sig.bin input.txt

# 3. Trust: the signer's certificate is the partner's, or chains to it, both at the signing
#    time and now (a claimed time cannot revive an expired certificate).
openssl x509 -in signer.pem -noout -subject -fingerprint -sha256 -nameopt utf8
openssl verify -partial_chain -attime "$(cat sigt.epoch)" -CAfile partner.pem -untrusted chain.pem signer.pem
openssl verify -partial_chain -CAfile partner.pem -untrusted chain.pem signer.pem

# 4. The signer speaks for the organisation the document names (organizationIdentifier).
openssl x509 -in signer.pem -noout -subject -nameopt utf8,sep_multiline > subject.txt
grep -qx "    organizationIdentifier=$(cat speaks.txt)" subject.txt || { echo 'signer is NOT the sender'; exit 1; }
echo "signer speaks for $(cat speaks.txt)"
`;

let id: SigningIdentity;
let privateKey: KeyObject;

beforeAll(async () => {
  const key = rsaKey(3072);
  const cert = await createSelfSigned({
    privateKey: key.privateKey,
    organizationName: 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
    businessId: '3221308-6',
    now: new Date('2026-01-01T00:00:00Z'),
  });
  privateKey = key.privateKey;
  id = { alias: 'r', key: softwareKey(key.privateKey), chain: [cert] };
});

function runRecipe(doc: object, partnerPem: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'handover.json'), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(join(dir, 'partner.pem'), partnerPem);
  writeFileSync(join(dir, 'verify.sh'), RECIPE);
  return spawnSync('sh', ['verify.sh'], { cwd: dir, encoding: 'utf8' });
}

describe('README recipe: openssl alone', () => {
  test('says "Verified OK" and "signer.pem: OK" for a file signed by handover', async () => {
    const signed = await signDocument(sampleHandover(), id, { now: new Date('2026-03-01T08:00:00Z') });
    const r = runRecipe(signed, id.chain[0]!.toString());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('alg PS256 signed at 2026-03-01T08:00:00Z');
    expect(r.stdout).toContain('Verified OK');
    expect(r.stdout).toContain('Österbottens välfärdsområde');
    expect(r.stdout).toContain(`sha256 Fingerprint=${id.chain[0]!.fingerprint256}`);
    expect(r.stdout.match(/signer\.pem: OK/g)).toHaveLength(2);
    expect(r.stdout).toContain('signer speaks for NTRFI-3221308-6');
  });

  test('fails step 4 when the certificate names another organisation than the sender', async () => {
    const doc = sampleHandover() as { sender: { organization: { businessId: string } } };
    doc.sender.organization.businessId = '0201256-6';
    // Our signDocument refuses this; the attacker signs the signing input with openssl.
    const { default: canonicalize } = await import('canonicalize');
    const b64u = (b: string | Buffer) => Buffer.from(b).toString('base64url');
    const prot = b64u(
      JSON.stringify({
        alg: 'PS256',
        typ: 'handover+jws',
        x5c: [id.chain[0]!.raw.toString('base64')],
        sigT: '2026-03-01T08:00:00Z',
        crit: ['sigT'],
      }),
    );
    const { constants, sign } = await import('node:crypto');
    const sig = sign('sha256', Buffer.from(`${prot}.${b64u(canonicalize(doc)!)}`), {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    const r = runRecipe({ ...doc, signature: { jws: `${prot}..${b64u(sig)}` } }, id.chain[0]!.toString());
    expect(r.stdout).toContain('Verified OK');
    expect(r.stdout).toContain('signer is NOT the sender');
    expect(r.status).not.toBe(0);
  });

  test('fails step 1 for a sigT before createdAt (backdated)', async () => {
    const doc = { ...sampleHandover(), createdAt: '2026-03-02T10:00:00+02:00' };
    const signed = await signDocument(doc, id, { now: new Date('2026-03-01T08:00:00Z') });
    const r = runRecipe(signed, id.chain[0]!.toString());
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('backdated sigT');
  });

  test('fails for a changed file', async () => {
    const signed = await signDocument(sampleHandover(), id, { now: new Date('2026-03-01T08:00:00Z') });
    const r = runRecipe({ ...signed, notes: 'Muutettu jälkikäteen.' }, id.chain[0]!.toString());
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('Verification failure');
    expect(r.stdout).not.toContain('Verified OK');
  });

  test('fails the trust step for a certificate that is not the partner’s', async () => {
    const signed = await signDocument(sampleHandover(), id, { now: new Date('2026-03-01T08:00:00Z') });
    const other = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        '/dev/null',
        '-subj',
        '/CN=Joku muu',
        '-days',
        '1',
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const r = runRecipe(signed, other);
    expect(r.stdout).toContain('Verified OK');
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('signer.pem: OK');
  });
});

test('README.md prints this recipe verbatim under "Verifying a handover file with openssl alone"', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('Verifying a handover file with openssl alone');
  expect(at, 'README section missing').toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block?.[1]).toBe(RECIPE);
});

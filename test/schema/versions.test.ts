/**
 * Format versions (SPEC §5.6): frozen schema files per minor version, each document checked
 * against the schema of its own version, and one finding for a document we cannot read.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classify,
  documentKind,
  NEWEST_VERSION,
  SCHEMA_VERSIONS,
  validateSchema,
} from '../../src/schema/validator.js';
import { ROOT } from '../helpers/cli.js';

const SCHEMAS = join(ROOT, 'schemas');
const bytes = (name: string) => readFileSync(join(SCHEMAS, name));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schema', name), 'utf8')) as Record<string, any>;

/**
 * SHA-256 of schemas/*.schema.json as committed before format 1.1 (git 3f2df4e), i.e. what
 * 1.0 readers validated against: the frozen 1.0 files must stay these bytes for ever.
 */
const PUBLISHED_1_0 = {
  handover: 'c7b9a28620470d43f37dfc36aa34f7d6654fcbd49b2f0cb789f360e93b065756',
  receipt: '0eaf51c83d2a6763e21d3c8d33d1ef57dac5f0e108ef6d93af0565ba5ac180ba',
  withdrawal: '206df7de918db87d2a702dc88e4c0fd8fdacb6b837e1995a5b9ef40c43fa06ae',
};

describe('schema files', () => {
  it.each(Object.entries(PUBLISHED_1_0))('keeps %s-1.0 byte for byte as 1.0 was published', (kind, sha) => {
    expect(sha256(bytes(`${kind}-1.0.schema.json`))).toBe(sha);
  });

  it.each(['handover', 'receipt', 'withdrawal'])(
    'has %s.schema.json as the newest version, $id included',
    (kind) => {
      expect(bytes(`${kind}.schema.json`).equals(bytes(`${kind}-${NEWEST_VERSION}.schema.json`))).toBe(true);
      const ids = SCHEMA_VERSIONS.map((v) => JSON.parse(bytes(`${kind}-${v}.schema.json`).toString()).$id);
      expect(ids).toEqual(SCHEMA_VERSIONS.map((v) => `urn:fi:handover:schema:${v}:${kind}`));
    },
  );

  it('reads exactly the versions that have frozen files, and writes the last', () => {
    const versions = readdirSync(SCHEMAS)
      .map((f) => /^handover-(\d+\.\d+)\.schema\.json$/.exec(f)?.[1])
      .filter((v) => v !== undefined)
      .sort();
    expect(versions).toEqual([...SCHEMA_VERSIONS]);
    expect(SCHEMA_VERSIONS.at(-1)).toBe(NEWEST_VERSION);
    for (const v of SCHEMA_VERSIONS)
      for (const kind of ['receipt', 'withdrawal'])
        expect(JSON.parse(bytes(`${kind}-${v}.schema.json`).toString()).properties.schemaVersion).toEqual({
          const: v,
        });
  });
});

describe('format 1.0', () => {
  it('is valid under its own schema', () => {
    const doc = fixture('complete.handover.json');
    expect(doc.schemaVersion).toBe('1.0');
    expect(validateSchema('handover', doc)).toEqual([]);
    expect(validateSchema('handover', doc, '1.0')).toEqual([]);
  });

  it.each([
    ['replyBy', (d: any) => (d.replyBy = '2026-12-04'), '/replyBy'],
    ['signatory', (d: any) => (d.signatory = { name: 'Riitta Johtaja', title: 'johtaja' }), '/signatory'],
    ['decisions', (d: any) => (d.decisions = [{ date: '2024-05-02', subject: 'Päätös' }]), '/decisions'],
    ['paymentCommitment', (d: any) => (d.paymentCommitment = { from: '2026-12-01' }), '/paymentCommitment'],
    ['Party.billing', (d: any) => (d.sender.billing = { email: 'laskut@example.fi' }), '/sender/billing'],
    [
      'signature.timestamp',
      (d: any) => (d.signature = { jws: 'eyJhbGciOiJQUzI1NiJ9..c2ln', timestamp: 'MIIB' }),
      '/signature/timestamp',
    ],
  ])('refuses the 1.1 member %s in a file that says 1.0 (SCHEMA)', (_name, add, pointer) => {
    const doc = fixture('complete.handover.json');
    add(doc);
    expect(validateSchema('handover', doc)).toEqual([
      { pointer, keyword: 'additionalProperties', params: { property: pointer.split('/').at(-1) } },
    ]);
    doc.schemaVersion = '1.1';
    expect(validateSchema('handover', doc)).toEqual([]);
  });

  it('refuses the 1.1 classification youth-funds in a 1.0 file', () => {
    const doc = fixture('complete.handover.json');
    doc.services[0].classification = 'youth-funds';
    expect(validateSchema('handover', doc)).toMatchObject([
      { pointer: '/services/0/classification', keyword: 'enum' },
    ]);
  });
});

describe('format 1.1', () => {
  it('accepts a complete file with every new member', () => {
    const doc = fixture('complete-1.1.handover.json');
    expect(doc.schemaVersion).toBe('1.1');
    for (const member of ['replyBy', 'signatory', 'decisions', 'paymentCommitment'])
      expect(doc).toHaveProperty(member);
    expect(doc.sender.billing).toBeDefined();
    expect(doc.signature.timestamp).toBeDefined();
    expect(doc.services.map((s: any) => s.classification)).toContain('youth-funds');
    expect(validateSchema('handover', doc)).toEqual([]);
    // The same document is no 1.0 file: every 1.1 member is refused there.
    expect(validateSchema('handover', doc, '1.0').length).toBeGreaterThanOrEqual(7);
  });

  it.each([
    ['decisions empty', (d: any) => (d.decisions = []), '/decisions', 'minItems'],
    [
      'decision without subject',
      (d: any) => delete d.decisions[0].subject,
      '/decisions/0/subject',
      'required',
    ],
    [
      'decision with an extra member',
      (d: any) => (d.decisions[0].x = 1),
      '/decisions/0/x',
      'additionalProperties',
    ],
    ['billing empty', (d: any) => (d.sender.billing = {}), '/sender/billing', 'minProperties'],
    [
      'billing untrimmed',
      (d: any) => (d.sender.billing.reference = ' 4100'),
      '/sender/billing/reference',
      'pattern',
    ],
    ['billing e-mail', (d: any) => (d.recipient.billing.email = 'no'), '/recipient/billing/email', 'format'],
    [
      'negative ceiling',
      (d: any) => (d.paymentCommitment.maxAmountEur = -1),
      '/paymentCommitment/maxAmountEur',
      'minimum',
    ],
    [
      'commitment without from',
      (d: any) => delete d.paymentCommitment.from,
      '/paymentCommitment/from',
      'required',
    ],
    [
      'commitment to not a date',
      (d: any) => (d.paymentCommitment.to = '30.11.2027'),
      '/paymentCommitment/to',
      'format',
    ],
    ['signatory without title', (d: any) => delete d.signatory.title, '/signatory/title', 'required'],
    ['signatory name empty', (d: any) => (d.signatory.name = ''), '/signatory/name', 'minLength'],
    ['replyBy not a date', (d: any) => (d.replyBy = '2026-02-30'), '/replyBy', 'format'],
    [
      'timestamp not base64',
      (d: any) => (d.signature.timestamp = 'not base64!'),
      '/signature/timestamp',
      'pattern',
    ],
    [
      'timestamp too long',
      (d: any) => (d.signature.timestamp = 'A'.repeat(65540)),
      '/signature/timestamp',
      'maxLength',
    ],
    ['decision date not a string', (d: any) => (d.decisions[0].date = 20240502), '/decisions/0/date', 'type'],
  ])('rejects %s', (_name, mutate, pointer, keyword) => {
    const doc = fixture('complete-1.1.handover.json');
    mutate(doc);
    expect(validateSchema('handover', doc)).toContainEqual(expect.objectContaining({ pointer, keyword }));
  });

  it('reads receipts and withdrawals of both versions, billing only in 1.1', () => {
    const receipt = {
      kind: 'receipt',
      schemaVersion: '1.0',
      id: '0b7d6a52-5a56-4a53-9d49-3c9d3e0b8f11',
      handoverId: '6f1c2a9e-3b4d-4c8e-9f10-2a3b4c5d6e7f',
      handoverSha256: 'a'.repeat(64),
      receivedAt: '2026-11-21T09:00:00+02:00',
      receiver: { organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4' } },
      outcome: 'accepted',
    };
    expect(validateSchema('receipt', receipt)).toEqual([]);
    expect(validateSchema('receipt', { ...receipt, schemaVersion: '1.1' })).toEqual([]);
    const billed = { ...receipt.receiver, billing: { reference: 'Ostolaskut' } };
    expect(validateSchema('receipt', { ...receipt, schemaVersion: '1.1', receiver: billed })).toEqual([]);
    expect(validateSchema('receipt', { ...receipt, receiver: billed })).toMatchObject([
      { pointer: '/receiver/billing', keyword: 'additionalProperties' },
    ]);
  });
});

describe('classify', () => {
  it.each([
    ['an array', [], 'not-object'],
    ['a number', 42, 'not-object'],
    ['null', null, 'not-object'],
    ['an object with neither schemaVersion nor kind', {}, 'unmarked'],
    ['an unknown kind', { kind: 'memo', schemaVersion: '1.1' }, 'kind'],
    ['kind "handover" (a handover has no kind)', { kind: 'handover' }, 'kind'],
  ])('takes %s as no document of ours', (_name, value, reason) => {
    expect(classify(value)).toMatchObject({ kind: 'unknown', reason });
    expect(documentKind(value)).toBe('unknown');
  });

  it('recognises receipts and withdrawals by kind, a handover by its schemaVersion', () => {
    expect(documentKind({ kind: 'receipt' })).toBe('receipt');
    expect(documentKind({ kind: 'withdrawal' })).toBe('withdrawal');
    expect(documentKind({ schemaVersion: '1.0' })).toBe('handover');
    expect(classify({ schemaVersion: '1.0' })).toEqual({ kind: 'handover', version: '1.0' });
    expect(classify({ kind: 'receipt', schemaVersion: '1.1' })).toEqual({ kind: 'receipt', version: '1.1' });
    // A receipt without a version is a shape error of the newest schema, not an unknown document.
    expect(classify({ kind: 'receipt' })).toEqual({ kind: 'receipt', version: NEWEST_VERSION });
  });

  it.each([
    ['1.3', 'newer'],
    ['2.0', 'newer'],
    ['10.0', 'newer'],
    ['0.9', 'other'],
    ['1.0.0', 'other'],
    ['v1.1', 'other'],
    [1.1, 'type'],
    [null, 'type'],
  ])('finds schemaVersion %j unsupported (%s)', (version, reason) => {
    expect(classify({ schemaVersion: version })).toMatchObject({
      kind: 'handover',
      version: undefined,
      unsupported: { version: typeof version === 'string' ? version : JSON.stringify(version), reason },
    });
  });
});

describe('format 1.2', () => {
  const v12 = () => {
    const doc = fixture('complete-1.1.handover.json');
    doc.schemaVersion = '1.2';
    delete doc.signature;
    return doc;
  };

  it.each([
    [
      'entitlement.extension',
      (d: any) => (d.entitlement.extension = { kind: 'own-policy', reference: 'P 1' }),
      '/entitlement/extension',
    ],
    [
      'entitlement.homeMunicipalityAtEnd',
      (d: any) => (d.entitlement.homeMunicipalityAtEnd = '837'),
      '/entitlement/homeMunicipalityAtEnd',
    ],
    [
      'youth.homeMunicipalityChanges',
      (d: any) => (d.youth.homeMunicipalityChanges = true),
      '/youth/homeMunicipalityChanges',
    ],
  ])('refuses the 1.2 member %s in a 1.1 file, and reads it in 1.2', (_name, add, pointer) => {
    const doc = fixture('complete-1.1.handover.json');
    delete doc.signature;
    add(doc);
    expect(validateSchema('handover', doc)).toEqual([
      { pointer, keyword: 'additionalProperties', params: { property: pointer.split('/').at(-1) } },
    ]);
    doc.schemaVersion = '1.2';
    expect(validateSchema('handover', doc)).toEqual([]);
  });

  it('refuses the basis discretionary in a 1.1 file and accepts it in 1.2', () => {
    const doc = fixture('complete-1.1.handover.json');
    doc.entitlement.basis = 'discretionary';
    expect(validateSchema('handover', doc)).toMatchObject([
      { pointer: '/entitlement/basis', keyword: 'enum' },
    ]);
    const d12 = v12();
    d12.entitlement.basis = 'discretionary';
    expect(validateSchema('handover', d12)).toEqual([]);
  });

  it('refuses the 1.0/1.1 members discretionary and policyReference in a 1.2 file', () => {
    const doc = v12();
    doc.entitlement.discretionary = true;
    doc.entitlement.policyReference = 'P 1';
    expect(
      validateSchema('handover', doc)
        .map((i) => i.pointer)
        .sort(),
    ).toEqual(['/entitlement/discretionary', '/entitlement/policyReference']);
  });

  it('lets the new municipality be left out under turvakielto only', () => {
    const doc = v12();
    delete doc.youth.newMunicipalityCode;
    expect(validateSchema('handover', doc)).toMatchObject([
      { pointer: '/youth/newMunicipalityCode', keyword: 'required' },
    ]);
    doc.youth.nonDisclosure = true;
    delete doc.youth.contact;
    expect(validateSchema('handover', doc)).toEqual([]);
  });

  it('needs kind and reference of an extension; decidedOn is a date', () => {
    const doc = v12();
    doc.entitlement.extension = { kind: 'policy', decidedOn: '1.1.2024' };
    expect(
      validateSchema('handover', doc)
        .map((i) => `${i.pointer} ${i.keyword}`)
        .sort(),
    ).toEqual([
      '/entitlement/extension/decidedOn format',
      '/entitlement/extension/kind enum',
      '/entitlement/extension/reference required',
    ]);
  });
});

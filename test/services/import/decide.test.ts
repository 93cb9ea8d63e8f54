/** The decisions of `import` as a table: what arrived, what the register holds, what follows. */
import { describe, expect, it } from 'vitest';
import {
  decideHandover,
  decideReceipt,
  decideWithdrawal,
  type HandoverFacts,
  supersedeProblem,
} from '../../../src/services/import/decide.js';

const ID = '6f1c3a52-0000-4000-8000-000000000001';
const OURS = '2082259-7';
const base: HandoverFacts = { id: ID, sha256: 'aa', errors: [], addressedTo: OURS, ours: OURS };
const SIG = { rule: 'SIGNATURE_UNTRUSTED', pointer: '/signature' };

describe('decideHandover', () => {
  const cases: [string, Partial<HandoverFacts>, ReturnType<typeof decideHandover>][] = [
    ['no id', { id: undefined }, { action: 'no-id' }],
    ['new and clean', {}, { action: 'receipt', outcome: 'accepted' }],
    ['new with an error', { errors: [SIG] }, { action: 'receipt', outcome: 'rejected' }],
    [
      'intact, signer not yet trusted: awaits trust, no receipt',
      { errors: [{ ...SIG, awaitsTrust: { fingerprint256: 'AB' } }] },
      { action: 'await-trust' },
    ],
    [
      'awaiting trust before, still untrusted: awaits again',
      {
        previous: { status: 'awaiting-trust', sha256: 'aa' },
        errors: [{ ...SIG, awaitsTrust: { fingerprint256: 'AB' } }],
      },
      { action: 'await-trust' },
    ],
    [
      'awaiting trust before, trusted now: judged',
      { previous: { status: 'awaiting-trust', sha256: 'aa' } },
      { action: 'receipt', outcome: 'accepted' },
    ],
    ['addressed to another organisation', { addressedTo: '0166906-4' }, { action: 'not-ours' }],
    [
      'a bad business id is its own finding, not also "not ours"',
      {
        addressedTo: '1234567-8',
        errors: [{ rule: 'BUSINESS_ID_INVALID', pointer: '/recipient/organization/businessId' }],
      },
      { action: 'receipt', outcome: 'rejected' },
    ],
    [
      'accepted before, same bytes',
      { previous: { status: 'accepted', sha256: 'aa' } },
      { action: 'duplicate' },
    ],
    [
      'accepted before, other bytes',
      { previous: { status: 'accepted', sha256: 'bb' } },
      { action: 'conflict' },
    ],
    [
      'withdrawn, other bytes: still bound',
      { previous: { status: 'withdrawn', sha256: 'bb' } },
      { action: 'conflict' },
    ],
    [
      'rejected before for the same reasons',
      {
        previous: { status: 'rejected', sha256: 'aa', receiptRules: ['SIGNATURE_UNTRUSTED'] },
        errors: [SIG],
      },
      { action: 'duplicate' },
    ],
    [
      'rejected before, now clean (after trust add): judged afresh',
      { previous: { status: 'rejected', sha256: 'aa', receiptRules: ['SIGNATURE_UNTRUSTED'] } },
      { action: 'receipt', outcome: 'accepted' },
    ],
    [
      'rejected before, other bytes: not a conflict',
      { previous: { status: 'rejected', sha256: 'bb', receiptRules: ['SIGNATURE_UNTRUSTED'] } },
      { action: 'receipt', outcome: 'accepted' },
    ],
  ];
  for (const [name, facts, expected] of cases)
    it(name, () => expect(decideHandover({ ...base, ...facts })).toEqual(expected));
});

describe('decideReceipt', () => {
  const sent = { status: 'sent' as const, recipientBusinessId: OURS, sha256: 'aa' };
  const r = {
    errors: [],
    outcome: 'accepted' as const,
    receiverBusinessId: OURS,
    handoverSha256: 'aa',
    receivedAt: '2026-03-05T10:00:00Z',
    known: false,
  };
  it('applies an answer to a handover we sent', () => {
    expect(decideReceipt({ ...r, sent })).toEqual({ action: 'apply', status: 'acknowledged' });
    expect(decideReceipt({ ...r, outcome: 'rejected', sent })).toEqual({
      action: 'apply',
      status: 'rejected',
    });
  });
  it('leaves a withdrawn or superseded handover as it is', () => {
    expect(decideReceipt({ ...r, sent: { ...sent, status: 'withdrawn' } })).toEqual({
      action: 'apply',
      status: 'withdrawn',
    });
  });
  it('refuses what does not answer our handover', () => {
    expect(decideReceipt(r)).toEqual({ action: 'reject', rule: 'RECEIPT_UNKNOWN_HANDOVER' });
    expect(decideReceipt({ ...r, handoverSha256: 'bb', sent })).toEqual({
      action: 'reject',
      rule: 'RECEIPT_HASH_MISMATCH',
    });
    expect(decideReceipt({ ...r, errors: [SIG], sent })).toEqual({ action: 'reject' });
  });
  it('takes an answer only from the recipient recorded when we sent it', () => {
    expect(decideReceipt({ ...r, receiverBusinessId: '0166906-4', sent })).toEqual({
      action: 'reject',
      rule: 'SIGNER_NOT_SENDER',
    });
    // Not even a "not addressed to us" from a third party: it would flip our status.
    expect(decideReceipt({ ...r, outcome: 'rejected', receiverBusinessId: '0166906-4', sent })).toEqual({
      action: 'reject',
      rule: 'SIGNER_NOT_SENDER',
    });
  });
  it('changes nothing for a receipt seen before', () => {
    expect(decideReceipt({ ...r, known: true, sent })).toEqual({ action: 'duplicate', status: 'sent' });
  });
  const cases: [string, Partial<typeof r> & { currentAt?: string }, ReturnType<typeof decideReceipt>][] = [
    [
      'newer than the answer that set the status',
      { currentAt: '2026-03-04T10:00:00Z' },
      { action: 'apply', status: 'acknowledged' },
    ],
    [
      'older: a replay is recorded, status unchanged',
      { currentAt: '2026-03-06T10:00:00Z' },
      { action: 'stale', status: 'acknowledged' },
    ],
    [
      'the same instant is not newer',
      { currentAt: '2026-03-05T10:00:00Z' },
      { action: 'stale', status: 'acknowledged' },
    ],
    [
      'an unreadable time of ours orders nothing',
      { currentAt: 'x' },
      { action: 'apply', status: 'acknowledged' },
    ],
  ];
  for (const [name, facts, expected] of cases)
    it(`order: ${name}`, () =>
      expect(decideReceipt({ ...r, sent: { ...sent, status: 'acknowledged' }, ...facts })).toEqual(expected));
});

describe('decideWithdrawal', () => {
  const received = {
    status: 'accepted' as const,
    senderBusinessId: '0166906-4',
    createdAt: '2026-03-02T10:00:00+02:00',
  };
  const w = { errors: [], senderBusinessId: '0166906-4', withdrawnAt: '2026-03-05T10:00:00Z', known: false };
  it('withdraws a handover the same sender sent us', () => {
    expect(decideWithdrawal({ ...w, received })).toEqual({ action: 'apply', status: 'withdrawn' });
  });
  it('refuses an unknown handover, another sender, or a bad signature', () => {
    expect(decideWithdrawal(w)).toEqual({ action: 'reject', rule: 'WITHDRAWAL_UNKNOWN_HANDOVER' });
    expect(decideWithdrawal({ ...w, senderBusinessId: OURS, received })).toEqual({
      action: 'reject',
      rule: 'SIGNER_NOT_SENDER',
    });
    expect(decideWithdrawal({ ...w, errors: [SIG], received })).toEqual({ action: 'reject' });
  });
  it('changes nothing for a withdrawal seen before', () => {
    expect(decideWithdrawal({ ...w, known: true, received })).toEqual({
      action: 'duplicate',
      status: 'accepted',
    });
  });
  it('records an older withdrawal as stale: older than the applied one, or than the handover', () => {
    const withdrawn = { ...received, status: 'withdrawn' as const };
    expect(decideWithdrawal({ ...w, received: withdrawn, currentAt: '2026-03-06T00:00:00Z' })).toEqual({
      action: 'stale',
      status: 'withdrawn',
    });
    expect(decideWithdrawal({ ...w, withdrawnAt: '2026-03-01T00:00:00Z', received })).toEqual({
      action: 'stale',
      status: 'accepted',
    });
    expect(decideWithdrawal({ ...w, received: withdrawn, currentAt: '2026-03-04T00:00:00Z' })).toEqual({
      action: 'apply',
      status: 'withdrawn',
    });
  });
});

describe('supersedeProblem', () => {
  it('lets only the recorded sender supersede its handover', () => {
    expect(supersedeProblem('0166906-4', { senderBusinessId: '0166906-4' })).toBeUndefined();
    expect(supersedeProblem('0166906-4', undefined)).toBeUndefined();
    expect(supersedeProblem(OURS, { senderBusinessId: '0166906-4' })).toEqual({
      rule: 'SIGNER_NOT_SENDER',
      pointer: '/supersedes',
      recorded: '0166906-4',
    });
  });
});

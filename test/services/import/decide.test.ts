/** The decisions of `import` as a table: what arrived, what the register holds, what follows. */
import { describe, expect, it } from 'vitest';
import {
  decideHandover,
  decideReceipt,
  decideWithdrawal,
  type HandoverFacts,
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
    reasonRules: [],
    receiverBusinessId: OURS,
    handoverSha256: 'aa',
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
    expect(decideReceipt({ ...r, receiverBusinessId: '0166906-4', sent })).toEqual({
      action: 'reject',
      rule: 'RECEIPT_WRONG_RECEIVER',
    });
    expect(decideReceipt({ ...r, handoverSha256: 'bb', sent })).toEqual({
      action: 'reject',
      rule: 'RECEIPT_HASH_MISMATCH',
    });
    expect(decideReceipt({ ...r, errors: [SIG], sent })).toEqual({ action: 'reject' });
  });
  it('takes "not addressed to us" from whoever got a misdelivered handover', () => {
    expect(
      decideReceipt({
        ...r,
        outcome: 'rejected',
        reasonRules: ['NOT_ADDRESSED_TO_US'],
        receiverBusinessId: '0166906-4',
        sent,
      }),
    ).toEqual({ action: 'apply', status: 'rejected' });
  });
  it('changes nothing for a receipt seen before', () => {
    expect(decideReceipt({ ...r, known: true, sent })).toEqual({ action: 'duplicate', status: 'sent' });
  });
});

describe('decideWithdrawal', () => {
  const received = { status: 'accepted' as const, senderBusinessId: '0166906-4' };
  const w = { errors: [], senderBusinessId: '0166906-4', known: false };
  it('withdraws a handover the same sender sent us', () => {
    expect(decideWithdrawal({ ...w, received })).toEqual({ action: 'apply', status: 'withdrawn' });
  });
  it('refuses an unknown handover, another sender, or a bad signature', () => {
    expect(decideWithdrawal(w)).toEqual({ action: 'reject', rule: 'WITHDRAWAL_UNKNOWN_HANDOVER' });
    expect(decideWithdrawal({ ...w, senderBusinessId: OURS, received })).toEqual({
      action: 'reject',
      rule: 'WITHDRAWAL_WRONG_SENDER',
    });
    expect(decideWithdrawal({ ...w, errors: [SIG], received })).toEqual({ action: 'reject' });
  });
  it('changes nothing for a withdrawal seen before', () => {
    expect(decideWithdrawal({ ...w, known: true, received })).toEqual({
      action: 'duplicate',
      status: 'accepted',
    });
  });
});

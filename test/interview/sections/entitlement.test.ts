import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../src/interview/scope.js';
import { entitlement } from '../../../src/interview/sections/entitlement.js';
import { baseDraft, interview } from '../drafts.js';

const draft = (): Draft => ({
  ...baseDraft(),
  type: 'aftercare',
  youth: { name: { given: 'Aino', family: 'Keksitty' }, birthDate: '2006-05-02' },
  consent: { basis: 'consent', recordedBy: 'Sari Esimerkki', scope: ['identity', 'entitlement'] },
});

describe('the entitlement section', () => {
  it('goes beyond the law only with a policy, and never beyond what even the policy allows', async () => {
    const { q, ask } = interview(
      [
        ['What does the right to aftercare rest on', ['custody-placement']],
        ['Placement started on', ['']],
        ['Placement ended on', ['1.5.2024']],
        ['child-welfare client now', [true]],
        ['Last day of the right', ['1.1.2040', '1.1.2030']],
        ['Is this discretionary', [true, true]],
        ['Reference of the policy decision', ['Hallitus 12.3.2025 § 40', 'Hallitus 12.3.2025 § 40']],
        ['Who pays for the aftercare', ['']],
      ],
      draft(),
    );
    await entitlement(q);
    expect(ask.said.filter((s) => s.startsWith('Even discretionary aftercare ends'))).toHaveLength(1);
    expect(q.draft.entitlement).toEqual({
      basis: 'custody-placement',
      placementEndedOn: '2024-05-01',
      endsOn: '2030-01-01',
      discretionary: true,
      policyReference: 'Hallitus 12.3.2025 § 40',
      payer: 'sender',
    });
  });
});

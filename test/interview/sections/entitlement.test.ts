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
  it('goes beyond the law only with an extension, and never beyond what even an extension allows', async () => {
    const { q, ask } = interview(
      [
        ['What does the right to aftercare rest on', ['custody-placement']],
        ['Placement started on', ['']],
        ['Placement ended on', ['1.5.2024']],
        ['child-welfare client now', [true]],
        ['Last day of the right', ['1.1.2040', '1.1.2030']],
        ['Does support continue after the statutory day', ['own-policy', 'own-policy']],
        ['Reference of the policy decision', ['Hallitus 12.3.2025 § 40', 'Hallitus 12.3.2025 § 40']],
        ['Date of the policy decision', ['', '12.3.2025']],
        ['Who pays for the aftercare', ['']],
      ],
      draft(),
    );
    await entitlement(q);
    expect(ask.said.filter((s) => s.startsWith('Even support past the statutory day ends'))).toHaveLength(1);
    expect(ask.said.some((s) => s.includes('binds no other organiser'))).toBe(true);
    expect(q.draft.entitlement).toEqual({
      basis: 'custody-placement',
      placementEndedOn: '2024-05-01',
      endsOn: '2030-01-01',
      extension: { kind: 'own-policy', reference: 'Hallitus 12.3.2025 § 40', decidedOn: '2025-03-12' },
      payer: 'sender',
    });
  });

  it('asks a transitional decision for its date, before the reduction', async () => {
    const d = draft();
    d.youth = { name: { given: 'Aino', family: 'Keksitty' }, birthDate: '2002-01-10' };
    d.createdAt = '2026-11-20T10:00:00+02:00';
    const { q, ask } = interview(
      [
        ['What does the right to aftercare rest on', ['custody-placement']],
        ['Placement started on', ['']],
        ['Placement ended on', ['1.12.2019']],
        ['child-welfare client now', [true]],
        ['Last day of the right', ['9.1.2027']],
        ['Does support continue after the statutory day', ['transitional-decision']],
        ['Record number of the decision', ['PIRHA/LS/2023/812']],
        ['Date of the decision', ['1.2.2024', '15.11.2023']],
        ['Who pays for the aftercare', ['']],
      ],
      d,
    );
    await entitlement(q);
    expect(ask.refused.some((r) => r.reason.includes('31.12.2023'))).toBe(true);
    expect(q.draft.entitlement?.extension).toEqual({
      kind: 'transitional-decision',
      reference: 'PIRHA/LS/2023/812',
      decidedOn: '2023-11-15',
    });
  });

  it('asks the home municipality when an open-care placement ended, and offers discretionary aftercare', async () => {
    const { q, ask } = interview(
      [
        ['What does the right to aftercare rest on', ['open-care-placement']],
        ['Placement started on', ['1.1.2023']],
        ['Placement ended on', ['1.5.2024']],
        ['placed alone', [true]],
        ['home municipality when the placement ended', ['837']],
        ['child-welfare client now', [true]],
        ['Last day of the right', ['']],
        ['Who pays for the aftercare', ['']],
      ],
      draft(),
    );
    await entitlement(q);
    expect(q.draft.entitlement).toMatchObject({ homeMunicipalityAtEnd: '837', endsOn: '2029-05-01' });
    // The payer question names the rule for the basis (LsL 16 a § 3 mom.).
    expect(ask.asked.find((m) => m.startsWith('Who pays'))).toContain(
      "child's home municipality when the placement ended",
    );
    const { q: q2, ask: ask2 } = interview(
      [
        ['What does the right to aftercare rest on', ['discretionary']],
        ['Placement started on', ['']],
        ['Placement ended on', ['1.5.2024']],
        ['child-welfare client now', [true]],
        ['Last day of the right', ['']],
        ['Who pays for the aftercare', ['']],
      ],
      draft(),
    );
    await entitlement(q2);
    expect(ask2.said.some((s) => s.startsWith('Discretionary aftercare can be given until 1.5.2029'))).toBe(
      true,
    );
    expect(q2.draft.entitlement).toMatchObject({ basis: 'discretionary', endsOn: '2029-05-01' });
  });
});

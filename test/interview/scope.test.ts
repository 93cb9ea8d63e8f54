import { describe, expect, it } from 'vitest';
import { loadCatalogue, serviceCategories } from '../../src/domain/catalogue.js';
import { missingFields, youthIsMinor } from '../../src/interview/missing.js';
import { type Draft, pruneToScope } from '../../src/interview/scope.js';

const defaults = (code: string) => serviceCategories({ code }, loadCatalogue());

const full = (): Draft => ({
  youth: {
    name: { given: 'Aino', family: 'Keksitty' },
    birthDate: '2006-05-02',
    newMunicipalityCode: '905',
    contact: { phone: '+358 40 000 0100' },
  },
  entitlement: {
    basis: 'custody-placement',
    placementEndedOn: '2024-05-01',
    endsOn: '2029-05-01',
    payer: 'sender',
  },
  clientPlan: {
    date: '2026-10-15',
    goals: [
      { id: 'g1', text: 'Asunto' },
      { id: 'g2', text: 'Opinnot', categories: ['education'] },
    ],
  },
  services: [
    {
      id: 's1',
      code: 'support-person',
      classification: 'aftercare',
      provider: 'recipient',
      payer: 'sender',
      clientPlanGoal: 'g1',
    },
    {
      id: 's2',
      code: 'student-welfare',
      classification: 'basic',
      provider: 'recipient',
      payer: 'recipient',
      clientPlanGoal: 'g2',
    },
    {
      id: 's3',
      code: 'other',
      classification: 'needs-agreement',
      provider: 'recipient',
      payer: 'undecided',
      categories: ['health'],
      clientPlanGoal: 'g2',
    },
  ],
});

describe('pruneToScope', () => {
  it('identity only: every category-bound part goes, and each removal is named', () => {
    const r = pruneToScope(full(), ['identity'], defaults);
    expect(r.draft.youth?.contact).toBeUndefined();
    expect(r.draft.entitlement).toBeUndefined();
    expect(r.draft.clientPlan).toBeUndefined();
    expect(r.draft.services).toEqual([]);
    expect(r.removed).toEqual([
      { pointer: '/youth/contact', category: 'contact' },
      { pointer: '/entitlement', category: 'entitlement' },
      { pointer: '/clientPlan', category: 'clientPlan' },
      { pointer: '/services', category: 'services' },
    ]);
  });

  it("a service needs its code's default categories and its own tags; a link to a removed goal goes", () => {
    const r = pruneToScope(full(), ['identity', 'clientPlan', 'services'], defaults);
    expect(r.draft.clientPlan?.goals.map((g) => g.id)).toEqual(['g1']);
    expect(r.draft.services?.map((s) => s.id)).toEqual(['s1']);
    expect(r.removed.map((x) => `${x.pointer} ${x.category}`)).toEqual([
      '/youth/contact contact',
      '/entitlement entitlement',
      '/clientPlan/goals/1 education',
      '/services/1 education',
      '/services/2 health',
    ]);
    const withEducation = pruneToScope(full(), ['identity', 'clientPlan', 'services', 'education'], defaults);
    expect(withEducation.draft.services?.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(withEducation.draft.services?.[1]?.clientPlanGoal).toBe('g2');
  });

  it('leaves the input draft untouched', () => {
    const d = full();
    pruneToScope(d, ['identity'], defaults);
    expect(d).toEqual(full());
  });
});

describe('missingFields', () => {
  it('an empty draft lacks every required member, leaf by leaf', () => {
    expect(missingFields({}).map((m) => m.pointer)).toEqual([
      '/type',
      '/sender/organization/name',
      '/sender/organization/businessId',
      '/sender/contact',
      '/recipient/organization/name',
      '/recipient/organization/businessId',
      '/youth/name/given',
      '/youth/name/family',
      '/youth/birthDate',
      '/youth/newMunicipalityCode',
      '/consent',
    ]);
  });

  it('givenBy is required only for a youth under 18 on the day of createdAt', () => {
    const draft: Draft = {
      createdAt: '2024-05-01T23:30:00+03:00',
      youth: { birthDate: '2006-05-02' },
      consent: {
        basis: 'consent',
        givenOn: '2024-04-30',
        method: 'written',
        recordedBy: 'X',
        scope: ['identity'],
      },
    };
    // 1.5.2024 in Helsinki: the day before the 18th birthday.
    expect(youthIsMinor(draft)).toBe(true);
    expect(missingFields(draft).filter((m) => m.pointer.startsWith('/consent'))).toEqual([
      { pointer: '/consent/givenBy', rule: 'CONSENT_INCOMPLETE' },
    ]);
    draft.createdAt = '2024-05-01T21:30:00Z';
    // 00:30 on 2.5.2024 in Helsinki: 18 years old.
    expect(youthIsMinor(draft)).toBe(false);
    expect(missingFields(draft).filter((m) => m.pointer.startsWith('/consent'))).toEqual([]);
  });

  it('a statutory basis needs its reference; a person needs a way to be reached', () => {
    const draft: Draft = {
      sender: { organization: { name: 'X', businessId: '1572860-0' }, contact: { name: 'Sari' } as never },
      consent: { basis: 'statutory', recordedBy: 'Sari', scope: ['identity'] },
    };
    const m = missingFields(draft).map((x) => `${x.rule} ${x.pointer}`);
    expect(m).toContain('SCHEMA /sender/contact/email');
    expect(m).toContain('CONSENT_INCOMPLETE /consent/statutoryReference');
  });
});

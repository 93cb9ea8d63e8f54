import { describe, expect, it } from 'vitest';
import { runRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

const dateOrder = (d: unknown) =>
  runRules(d)
    .filter((f) => f.rule === 'DATE_ORDER')
    .map((f) => f.pointer);

describe('DATE_ORDER', () => {
  it('placement ending before it started', () => {
    const d = example();
    d.entitlement.placementStartedOn = '2024-05-02';
    expect(dateOrder(d)).toEqual(['/entitlement/placementEndedOn']);
  });

  it('service period ending before it starts; the same day is fine', () => {
    const d = example();
    d.services[1].period.to = '2026-11-30';
    expect(dateOrder(d)).toEqual(['/services/1/period/to']);
    d.services[1].period.to = '2026-12-01';
    expect(dateOrder(d)).toEqual([]);
  });

  it('meeting slot ending before it starts, compared as instants across offsets', () => {
    const d = example();
    d.meeting.slots[1].end = '2026-12-10T12:59:00+02:00';
    expect(dateOrder(d)).toEqual(['/meeting/slots/1/end']);
    // 11:30Z is 13:30 in Helsinki: after the start.
    d.meeting.slots[1].end = '2026-12-10T11:30:00Z';
    expect(dateOrder(d)).toEqual([]);
  });

  it('plan review due before the plan date', () => {
    const d = example();
    d.clientPlan.reviewDue = '2026-10-14';
    expect(dateOrder(d)).toEqual(['/clientPlan/reviewDue']);
  });

  it("consent given after createdAt's Helsinki date", () => {
    const d = example();
    d.consent.givenOn = '2026-11-21';
    expect(dateOrder(d)).toEqual(['/consent/givenOn']);
    d.consent.givenOn = '2026-11-20';
    expect(dateOrder(d)).toEqual([]);
    // 22:30Z on 20.11. is 21.11. in Helsinki: consent given on the 21st is then fine.
    d.consent.givenOn = '2026-11-21';
    d.createdAt = '2026-11-20T22:30:00Z';
    expect(dateOrder(d)).toEqual([]);
  });

  it('stays silent on malformed dates (the schema reports them)', () => {
    const d = example();
    d.clientPlan.reviewDue = '2026-02-30';
    d.services[0].period.to = 'soon';
    d.meeting.slots[0].end = '2026-12-08 10:30';
    expect(dateOrder(d)).toEqual([]);
  });
});

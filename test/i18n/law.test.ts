import { describe, expect, it } from 'vitest';
import { lastDayOfRight } from '../../src/domain/law.js';
import { lastDayReasonText } from '../../src/i18n/law.js';

const aftercare = (o: Record<string, unknown>) =>
  lastDayOfRight({ type: 'aftercare', createdAt: '2026-11-20T10:00:00+02:00', ...o });
const at = (type: string, birthDate: string, createdAt: string, o: Record<string, unknown> = {}) =>
  lastDayOfRight({ type, birthDate, createdAt, ...o });

describe('lastDayReasonText', () => {
  it('says why in each language, with the citation', () => {
    const r = aftercare({ birthDate: '2006-05-02' })!;
    expect(lastDayReasonText(r, 'en')).toBe('turns 23 on 2029-05-02 (Child Welfare Act 75 § 3, 1283/2023)');
    expect(lastDayReasonText(r, 'sv')).toContain('(BSL 75 § 3 mom., 1283/2023)');
    expect(lastDayReasonText(r, 'fi')).toContain('täyttää 23 vuotta 2.5.2029');
    expect(lastDayReasonText(r, 'sv')).toContain('fyller 23 år den 2.5.2029');
  });

  it('names the five years, the transition, no revival and the policy', () => {
    const five = aftercare({ birthDate: '2006-05-02', lastClientOn: '2023-08-15' })!;
    expect(lastDayReasonText(five, 'en')).toContain('client relationship ended on 2023-08-15');
    const tr = at('aftercare', '2000-06-10', '2024-03-01T09:00:00+02:00')!;
    expect(lastDayReasonText(tr, 'en')).toContain(
      'the transition of act 1283/2023 keeps it until 2024-06-30',
    );
    expect(lastDayReasonText(tr, 'fi')).toContain('lain 1283/2023 voimaantulosäännöksen 2 mom.');
    const old = at('aftercare', '1998-05-01', '2020-03-01T12:00:00+02:00')!;
    expect(lastDayReasonText(old, 'en')).toContain(
      'did not revive it (Act 542/2019, entry-into-force provision, 3rd paragraph (1490/2019))',
    );
    const pol = aftercare({ birthDate: '2006-05-02', discretionary: true, policyReference: 'AH 12/2024' })!;
    expect(lastDayReasonText(pol, 'en')).toMatch(
      /^the last day under the law is 2029-05-01: .*own policy: AH 12\/2024 \(not binding on the receiver\)/,
    );
    const tdec = at('integration-support', '2001-05-01', '2024-09-01', {
      extension: { kind: 'transitional-decision', reference: 'SOS 12/2024', decidedOn: '2024-03-01' },
    })!;
    expect(lastDayReasonText(tdec, 'sv')).toContain(
      'ett beslut av den 1.3.2024 (SOS 12/2024) enligt övergångsbestämmelsen i lag 323/2024',
    );
    const isPol = at('integration-support', '2006-05-02', '2026-11-20T10:00:00+02:00', {
      discretionary: true,
      policyReference: 'AH 12/2024',
    })!;
    expect(lastDayReasonText(isPol, 'fi')).toContain('valtio ei korvaa 1.5.2029 jälkeisiä kustannuksia');
  });

  it("names an earlier agreed day with the law's day beside it", () => {
    const r = aftercare({ birthDate: '2006-05-02' })!;
    expect(lastDayReasonText(r, 'en', '2028-12-31')).toMatch(
      /^2028-12-31 as agreed; the latest possible day is 2029-05-01/,
    );
    expect(lastDayReasonText(r, 'en', '2029-05-01')).toMatch(/^turns 23/);
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHandoverError } from '../../src/core/errors.js';
import { loadCatalogue } from '../../src/domain/catalogue.js';
import { type HandoverSummary, renderShow, showDocument } from '../../src/services/show/index.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const AFTERCARE = join(ROOT, 'templates', 'examples', 'aftercare.handover.json');
const INTEGRATION = join(ROOT, 'templates', 'examples', 'integration-support.handover.json');
const DRAFT = join(ROOT, 'templates', 'examples', 'minimal.draft.json');

const write = (name: string, content: unknown): string => {
  const file = join(tempDir(), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const errorOf = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (e) {
    if (isHandoverError(e)) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('showDocument', () => {
  it('summarises a handover with names in the language asked for and the last day by law', async () => {
    const r = (await showDocument({ file: AFTERCARE, lang: 'sv' })) as HandoverSummary;
    expect(r.kind).toBe('handover');
    expect(r.createdOn).toBe('2026-11-20');
    expect(r.recipient?.municipality).toBe('Vasa');
    expect(r.youth?.newMunicipality).toBe('Vasa');
    expect(r.entitlement).toMatchObject({ endsOn: '2029-05-01', lastDayByLaw: '2029-05-01' });
    expect(r.services.map((s) => s.name)).toEqual([
      'socialt arbete inom eftervården',
      'stödperson',
      'medel för eget hushåll',
      'studerandevård',
      'utkomststöd',
    ]);
    expect(r.signed).toBe(false);
    expect(r.youth?.contact?.address).toBe('Kuvitteellinen tie 5 B 12, 65100 Vaasa');
  });

  it('leaves out the address of a youth with a non-disclosure marking', async () => {
    const doc = JSON.parse(JSON.stringify(await showDocument({ file: AFTERCARE, lang: 'fi' })));
    expect(doc.youth.contact.address).toBeDefined();
    const src = JSON.parse(readFileSync(AFTERCARE, 'utf8'));
    src.youth.nonDisclosure = true;
    const r = (await showDocument({ file: write('a.json', src), lang: 'fi' })) as HandoverSummary;
    // Turvakielto covers every contact detail and the place of residence: none is shown.
    expect(r.youth?.contact).toBeUndefined();
    expect(r.youth?.newMunicipality).toBeUndefined();
    expect(r.youth?.newMunicipalityCode).toBeUndefined();
    const text = renderShow(r, 'fi');
    expect(text).not.toContain('Kuvitteellinen');
    expect(text).not.toContain('+358 40 000 0100');
    expect(text).not.toContain('65100');
    expect(text).toContain('turvakiellon');
  });

  it("uses the organisation's catalogue names", async () => {
    const catalogue = loadCatalogue({ 'support-person': { name: { fi: 'tukihenkilötoiminta' } } });
    const r = (await showDocument({ file: AFTERCARE, lang: 'fi', catalogue })) as HandoverSummary;
    expect(r.services[1]?.name).toBe('tukihenkilötoiminta');
  });

  it('shows a partial draft without complaint', async () => {
    const r = (await showDocument({ file: DRAFT, lang: 'en' })) as HandoverSummary;
    expect(r.sender).toBeUndefined();
    expect(r.youth?.givenName).toBe('Aino');
    const text = renderShow(r, 'en');
    expect(text).toContain('Sender: (missing)');
    expect(text).toContain('Services: none');
  });

  it('summarises receipts and withdrawals', async () => {
    const receipt = write('r.json', {
      kind: 'receipt',
      schemaVersion: '1.0',
      id: '0b6f2b8e-1111-4c2f-9a7e-5d1b0c9e8f21',
      handoverId: '3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21',
      handoverSha256: 'a'.repeat(64),
      receivedAt: '2026-11-21T08:15:00+02:00',
      receiver: { organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4' } },
      outcome: 'rejected',
      reasons: [{ rule: 'HETU_INVALID', pointer: '/youth/personalIdentityCode' }],
    });
    const r = await showDocument({ file: receipt, lang: 'fi' });
    expect(r).toMatchObject({ kind: 'receipt', outcome: 'rejected', reasons: [{ rule: 'HETU_INVALID' }] });
    const text = renderShow(r, 'fi');
    expect(text).toContain('Kuittaus');
    expect(text).toContain('hylätty');
    expect(text).toContain('21.11.2026 klo 8.15');

    const withdrawal = write('w.json', {
      kind: 'withdrawal',
      id: '0b6f2b8e-2222-4c2f-9a7e-5d1b0c9e8f21',
      handoverId: '3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21',
      reason: 'Nuori peruutti suostumuksensa.',
      withdrawnAt: '2026-11-25T12:00:00+02:00',
      sender: { organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' } },
    });
    const w = await showDocument({ file: withdrawal, lang: 'sv' });
    expect(w).toMatchObject({ kind: 'withdrawal', reason: 'Nuori peruutti suostumuksensa.' });
    expect(renderShow(w, 'sv')).toContain('Återkallelse');
  });

  it('fails with JSON_PARSE (exit 1) on a file that is not JSON', async () => {
    const e = await errorOf(() => showDocument({ file: write('bad.json', '{"id": '), lang: 'en' }));
    expect(e.code).toBe('JSON_PARSE');
    expect(e.exit).toBe(1);
  });

  it('fails with PATH_NOT_FOUND (exit 2) on a missing file and FILE_UNREADABLE on a folder', async () => {
    const dir = tempDir();
    expect(await errorOf(() => showDocument({ file: join(dir, 'nope.json'), lang: 'en' }))).toMatchObject({
      code: 'PATH_NOT_FOUND',
      exit: 2,
    });
    mkdirSync(join(dir, 'folder.json'));
    expect(await errorOf(() => showDocument({ file: join(dir, 'folder.json'), lang: 'en' }))).toMatchObject({
      code: 'FILE_UNREADABLE',
      exit: 1,
    });
  });

  it('refuses JSON that is no document', async () => {
    expect((await errorOf(() => showDocument({ file: write('x.json', '[1,2]'), lang: 'en' }))).code).toBe(
      'NOT_A_DOCUMENT',
    );
    expect(
      (await errorOf(() => showDocument({ file: write('y.json', { kind: 'invoice' }), lang: 'en' }))).code,
    ).toBe('NOT_A_DOCUMENT');
  });
});

describe('renderShow', () => {
  it('writes Finnish with d.m.yyyy dates, Helsinki times and Finnish terms', async () => {
    const text = renderShow(await showDocument({ file: AFTERCARE, lang: 'fi' }), 'fi');
    expect(text).toContain('Jälkihuollon siirto\n');
    expect(text).toContain('Luotu: 20.11.2026');
    expect(text).toContain('Aino Keksitty, syntymäaika 2.5.2006');
    expect(text).toContain('Vaasa (905)');
    expect(text).toContain('Oikeus päättyy: 1.5.2029');
    // Why that day (SPEC §5.4): the age limit with the law's citation, in the reader's language.
    expect(text).toContain('Peruste: nuori täyttää 23 vuotta 2.5.2029 (LsL 75 § 3 mom.');
    expect(renderShow(await showDocument({ file: AFTERCARE, lang: 'sv' }), 'sv')).toContain(
      'Grund: den unga fyller 23 år den 2.5.2029 (BSL 75 § 3 mom.',
    );
    expect(text).toContain('jälkihuollon sosiaalityö — jälkihuolto (laskutettava)');
    expect(text).toContain('8.12.2026 klo 9.00–10.30');
    expect(text).toContain('Varayhteyshenkilö: Timo Testaaja');
    expect(text).toMatch(/85,00\s€\/tunti × 40/);
  });

  it('writes Swedish with the Swedish municipality name and terms', async () => {
    const text = renderShow(await showDocument({ file: INTEGRATION, lang: 'sv' }), 'sv');
    expect(text).toContain('Överföring av stöd enligt integrationslagen\n');
    expect(text).toContain('Korsholm (499)');
    expect(text).toContain('Helsingfors (091)');
    expect(text).toContain('handledare — eftervård (faktureras)');
    expect(text).toContain('15.12.2026 kl. 10.00–11.30');
  });

  it('writes English with ISO dates', async () => {
    const text = renderShow(await showDocument({ file: AFTERCARE, lang: 'en' }), 'en');
    expect(text).toContain('Right ends: 2029-05-01');
    expect(text).toContain('2026-12-08 at 09:00–10:30');
    expect(text).toContain('Signature: none');
  });

  it('has every label in fi, sv and en', async () => {
    const read = (l: string) =>
      Object.keys(
        JSON.parse(readFileSync(join(ROOT, 'templates', 'messages', l, 'show.json'), 'utf8')),
      ).sort();
    expect(read('fi')).toEqual(read('en'));
    expect(read('sv')).toEqual(read('en'));
  });
});

describe('show of format 1.1 and of a cover letter (issue 25)', () => {
  const ONE_ONE = join(ROOT, 'test', 'fixtures', 'schema', 'complete-1.1.handover.json');

  it('carries replyBy, signatory, decisions, payment commitment and billing in --json', async () => {
    const r = (await showDocument({ file: ONE_ONE, lang: 'sv' })) as HandoverSummary;
    expect(r.replyBy).toBe('2026-12-04');
    expect(r.signatory).toEqual({ name: 'Riitta Johtaja', title: 'johtava sosiaalityöntekijä' });
    expect(r.decisions).toEqual([
      { date: '2024-05-02', subject: 'Jälkihuollon päätös', reference: 'PIR/2024/1234' },
      { date: '2026-11-15', subject: 'Maksusitoumus jälkihuollon palveluihin' },
    ]);
    expect(r.paymentCommitment).toEqual({
      from: '2026-12-01',
      to: '2027-11-30',
      maxAmountEur: 5400,
      decisionReference: 'PIR/2026/5678',
    });
    expect(r.sender?.billing).toMatchObject({ eInvoiceAddress: '003715728600', operator: '003721291126' });
    expect(r.recipient?.billing).toEqual({ email: 'ostolaskut@example.invalid' });
  });

  it('prints them in words, the money as the letter does', async () => {
    const text = renderShow(await showDocument({ file: ONE_ONE, lang: 'sv' }), 'sv');
    expect(text).toContain('Svar begärs senast: 4.12.2026');
    expect(text).toContain('Undertecknas för avsändaren av: Riitta Johtaja, johtava sosiaalityöntekijä');
    expect(text).toContain('Gällande beslut:\n  2.5.2024, Jälkihuollon päätös, diarienummer PIR/2024/1234');
    expect(text).toContain('Betalningsförbindelse: 1.12.2026–30.11.2027, högst 5\u00a0400,00\u00a0€');
    expect(text).toContain('Fakturering: e-fakturaadress 003715728600, förmedlare 003721291126');
    expect(text).not.toMatch(/\(eftervård\)/);
    expect(text).toContain('den ungas egna medel (faktureras inte)');
    expect(text).not.toContain('youth-funds');
    const fi = renderShow(await showDocument({ file: ONE_ONE, lang: 'fi' }), 'fi');
    expect(fi).toContain('Maksusitoumus: 1.12.2026–30.11.2027, enintään 5\u00a0400,00\u00a0€');
  });

  it('shows the handover attached to a cover-letter PDF', async () => {
    const { renderLetter } = await import('../../src/letter/cover-letter.js');
    const bytes = readFileSync(ONE_ONE);
    const pdf = await renderLetter(JSON.parse(bytes.toString('utf8')), { lang: 'fi', fileBytes: bytes });
    const file = write('letter.pdf', '');
    writeFileSync(file, pdf);
    const r = (await showDocument({ file, lang: 'fi' })) as HandoverSummary;
    expect(r).toMatchObject({ kind: 'handover', id: '6f1c2a9e-3b4d-4c8e-9f10-2a3b4c5d6e7f' });
    expect(r.replyBy).toBe('2026-12-04');
  });

  it('a PDF without an attached handover is PDF_NO_ATTACHMENT, exit 1', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const d = await PDFDocument.create();
    d.addPage();
    const file = write('plain.pdf', '');
    writeFileSync(file, await d.save());
    expect(await errorOf(() => showDocument({ file, lang: 'en' }))).toMatchObject({
      code: 'PDF_NO_ATTACHMENT',
      exit: 1,
    });
  });
});

describe('citations without nested parentheses (issue 25)', () => {
  const nested = /\([^()]*\(/;
  it.each(['fi', 'sv', 'en'] as const)('%s', async (lang) => {
    const r = (await showDocument({
      file: join(ROOT, 'test', 'fixtures', 'schema', 'complete-1.1.handover.json'),
      lang,
    })) as HandoverSummary;
    expect(r.entitlement?.lastDayReason).toBeTruthy();
    expect(r.entitlement?.lastDayReason).not.toMatch(nested);
    const src = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'schema', 'complete-1.1.handover.json'), 'utf8'),
    );
    src.entitlement.endsOn = '2028-01-01';
    const agreed = (await showDocument({ file: write('agreed.json', src), lang })) as HandoverSummary;
    expect(agreed.entitlement?.lastDayReason).not.toMatch(nested);
  });
});

describe('show of format 1.2', () => {
  it('names the statutory day apart from an own policy, who pays by law and who arranges', async () => {
    const src = JSON.parse(readFileSync(AFTERCARE, 'utf8'));
    src.youth.homeMunicipalityChanges = false;
    src.entitlement.extension = { kind: 'own-policy', reference: 'AH 12.3.2025 § 40' };
    src.entitlement.endsOn = '2031-05-01';
    const r = (await showDocument({ file: write('p.json', src), lang: 'fi' })) as HandoverSummary;
    expect(r.entitlement).toMatchObject({
      statutoryLastDay: '2029-05-01',
      extension: { kind: 'own-policy', reference: 'AH 12.3.2025 § 40' },
      payerRule: 'sijaishuollon kustannuksista vastannut hyvinvointialue (LsL 16 a § 3 mom.)',
    });
    const fi = renderShow(r, 'fi');
    expect(fi).toContain('lain mukainen viimeinen päivä on 1.5.2029');
    expect(fi).toContain('ei sido vastaanottajaa');
    expect(fi).toContain('LsL 16 b § 1 mom.');
    const sv = renderShow(
      (await showDocument({ file: write('p.json', src), lang: 'sv' })) as HandoverSummary,
      'sv',
    );
    expect(sv).toContain('placeringsvälfärdsområde');
    expect(sv).toContain('binder inte mottagaren');
  });

  it('reads a 1.1 discretionary flag as an own policy', async () => {
    const src = JSON.parse(readFileSync(AFTERCARE, 'utf8'));
    src.schemaVersion = '1.1';
    delete src.youth.homeMunicipalityChanges;
    src.entitlement.discretionary = true;
    src.entitlement.policyReference = 'AH 1/2024';
    src.entitlement.endsOn = '2031-05-01';
    const r = (await showDocument({ file: write('d.json', src), lang: 'en' })) as HandoverSummary;
    expect(r.entitlement?.extension).toEqual({ kind: 'own-policy', reference: 'AH 1/2024' });
    expect(renderShow(r, 'en')).toContain("the sender's own policy, not binding on the receiver");
  });
});

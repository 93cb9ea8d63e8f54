import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandover } from '../../src/services/new.js';
import { tempDir } from '../helpers/cli.js';
import { FORMAL } from '../interview/drafts.js';
import { ScriptAsk } from '../interview/script-ask.js';

function withHome<T>(run: (home: string) => Promise<T>): Promise<T> {
  const home = tempDir();
  writeFileSync(
    join(home, 'config.json'),
    JSON.stringify({
      organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' },
      contact: { name: 'Sari Esimerkki', email: 'sari.esimerkki@example.fi' },
      backupContact: { name: 'Timo Testaaja', phone: '+358 40 000 0003' },
    }),
  );
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = home;
  return run(home).finally(() => {
    process.env.HANDOVER_HOME = saved;
  });
}

const draft = {
  type: 'aftercare',
  createdAt: '2026-11-20T10:00:00+02:00',
  recipient: {
    organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-5', municipalityCode: '905' },
  },
  youth: { name: { given: 'Aino', family: 'Keksitty' }, birthDate: '2006-05-02', newMunicipalityCode: '905' },
  consent: {
    basis: 'consent',
    givenOn: '2026-11-12',
    method: 'oral',
    recordedBy: 'Sari Esimerkki',
    scope: ['identity'],
  },
  notes: 'Alustava.',
};

describe('createHandover, interactive', () => {
  it('a draft value that breaks a rule is listed in the summary, which offers no writing until it is fixed', () =>
    withHome(async () => {
      const out = tempDir();
      const ask = new ScriptAsk([
        ...FORMAL,
        ['Is this correct and on record', [true]],
        ['bilingual', ['fi', 'fi']],
        ['Propose a joint', [false]],
        ['What next?', ['recipient', 'write']],
        ['Municipality the youth moves to', ['Vaasa']],
        ['Receiving organisation', ['']],
        ['Business ID of the receiving', ['0166906-4']],
        ['Do you know the receiving worker', [false]],
      ]);
      const r = await createHandover({
        lang: 'en',
        interactive: true,
        ask,
        answers: { text: JSON.stringify(draft), source: 'draft.json' },
        out,
        sign: false,
      });
      const first = ask.selects.find((x) => x.message === 'What next?');
      expect(first?.choices).not.toContain('write');
      expect(first?.default).toBe('recipient');
      expect(ask.said.some((s) => /ERROR BUSINESS_ID_INVALID: .* → Change: recipient/.test(s))).toBe(true);
      expect(readdirSync(out)).toEqual([r.file.slice(out.length + 1)]);
      const doc = JSON.parse(readFileSync(r.file, 'utf8'));
      expect(doc.recipient.organization.businessId).toBe('0166906-4');
      expect(doc.notes).toBe('Alustava.');
    }));

  it('the consent gate closed in an interactive run writes nothing, not even an audit line', () =>
    withHome(async (home) => {
      const out = tempDir();
      const ask = new ScriptAsk([
        ...FORMAL,
        ['Is this correct and on record', [false]],
        ['Has the youth consented', ['none']],
      ]);
      const err = await createHandover({
        lang: 'en',
        interactive: true,
        ask,
        answers: { text: JSON.stringify(draft), source: 'draft.json' },
        out,
        sign: false,
      }).catch((e) => e);
      expect(err.exit).toBe(3);
      expect(readdirSync(out)).toEqual([]);
      expect(readdirSync(home)).toEqual(['config.json']);
    }));
});

describe('createHandover offers to seal', () => {
  it('proposes the trusted certificate of the recipient and seals every file for it', async () => {
    const { makeOrg, as } = await import('../register/orgs.js');
    const { addTrusted } = await import('../../src/signing/trust.js');
    const a = await makeOrg('Pirkanmaan hyvinvointialue', '1572860-0', '837');
    const b = await makeOrg('Pohjanmaan hyvinvointialue', '0166906-4', '905');
    await as(a, () => addTrusted(b.certPem, 'pohjanmaa'));
    const out = tempDir();
    const ask = new ScriptAsk([
      ...FORMAL,
      ['Is this correct and on record', [true]],
      ['bilingual', ['fi']],
      ['Propose a joint', [false]],
      ['What next?', ['write']],
      ['Seal the files', ['__default__']],
    ]);
    // The scripted terminal answers the seal question with whatever the tool proposed.
    const select = ask.select.bind(ask);
    let proposed: unknown;
    let offered: unknown[] = [];
    ask.select = async <T>(o: { message: string; choices: { value: T; name: string }[]; default?: T }) => {
      if (!o.message.includes('Seal the files')) return select(o);
      proposed = o.default;
      offered = o.choices.map((c) => c.value);
      return o.default as T;
    };
    const fixed = {
      ...draft,
      recipient: { organization: { ...draft.recipient.organization, businessId: '0166906-4' } },
    };
    const r = await as(a, () =>
      createHandover({
        lang: 'en',
        interactive: true,
        ask,
        answers: { text: JSON.stringify(fixed), source: 'draft.json' },
        out,
        sign: true,
        letter: false,
      }),
    );
    const { loadTrustStore } = await import('../../src/signing/trust.js');
    const pohjanmaa = (await as(a, () => loadTrustStore()))[0]!;
    expect(proposed).toBe(pohjanmaa.fingerprint256);
    expect(offered).toEqual([pohjanmaa.fingerprint256, '']);
    expect(r.sealed.map((f) => f.slice(out.length + 1))).toEqual([`${r.file.slice(out.length + 1)}.p7m`]);
    expect(readdirSync(out).sort()).toEqual([r.file, ...r.sealed].map((f) => f.slice(out.length + 1)).sort());
  });
});

describe('createHandover under turvakielto (format 1.2)', () => {
  const hidden = {
    ...draft,
    recipient: {
      organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4', municipalityCode: '905' },
    },
    youth: { ...draft.youth, nonDisclosure: true },
    consent: { ...draft.consent, scope: ['identity', 'contact'] },
  };

  it('writes no contact detail and no new municipality of the youth into the file', () =>
    withHome(async () => {
      const out = tempDir();
      const r = await createHandover({
        lang: 'en',
        interactive: false,
        answers: { text: JSON.stringify(hidden), source: 'draft.json' },
        out,
        sign: false,
      });
      const name = readdirSync(out).find((f) => f.endsWith('.handover.json'))!;
      const doc = JSON.parse(readFileSync(join(out, name), 'utf8'));
      expect(doc.schemaVersion).toBe('1.2');
      expect(doc.youth.nonDisclosure).toBe(true);
      expect(doc.youth.contact).toBeUndefined();
      expect(doc.youth.newMunicipalityCode).toBeUndefined();
      expect(r).toBeDefined();
    }));

  it('refuses a draft that brings a contact detail, naming NON_DISCLOSURE_CONTACT, and writes nothing', () =>
    withHome(async () => {
      const out = tempDir();
      const withPhone = { ...hidden, youth: { ...hidden.youth, contact: { phone: '+358 40 000 0100' } } };
      const err = await createHandover({
        lang: 'en',
        interactive: false,
        answers: { text: JSON.stringify(withPhone), source: 'draft.json' },
        out,
        sign: false,
      }).catch((e) => e);
      expect(err.exit).toBe(1);
      expect(JSON.stringify(err.details)).toContain('NON_DISCLOSURE_CONTACT');
      expect(readdirSync(out)).toEqual([]);
    }));
});

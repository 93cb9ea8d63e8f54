import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ConfigGet from '../../src/commands/config/get.js';
import ConfigList from '../../src/commands/config/list.js';
import ConfigSet from '../../src/commands/config/set.js';
import { runCommand, tempDir } from '../helpers/cli.js';

const env = () => ({ HANDOVER_HOME: tempDir(), HANDOVER_LANG: 'en' });

describe('config set/get/list', () => {
  it('stores a checked value and reads it back', async () => {
    const e = env();
    const set = await runCommand(ConfigSet, ['organization.businessId', '1572860-0'], e);
    expect(set.exitCode).toBe(0);
    expect(set.stderr).toContain('organization.businessId = 1572860-0');
    const get = await runCommand(ConfigGet, ['organization.businessId'], e);
    expect(get.stdout).toBe('1572860-0\n');
    const file = join(e.HANDOVER_HOME, 'config.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ organization: { businessId: '1572860-0' } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a business ID with a wrong check digit: exit 1 with the rule code, nothing saved', async () => {
    const e = env();
    const r = await runCommand(ConfigSet, ['organization.businessId', '1572860-1', '--json'], e);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout) as {
      error: { code: string; details: { rule: string; pointer: string }[] };
    };
    expect(out.error.code).toBe('BUSINESS_ID_INVALID');
    expect(out.error.details[0]).toMatchObject({
      rule: 'BUSINESS_ID_INVALID',
      pointer: '/organization/businessId',
    });
    expect((await runCommand(ConfigList, ['--json'], e)).stdout).toContain('"values": {}');
  });

  it('refuses an unknown municipality code and a bad e-mail', async () => {
    const e = env();
    const m = await runCommand(ConfigSet, ['organization.municipalityCode', '999'], e);
    expect(m.exitCode).toBe(1);
    expect(m.stderr).toContain('MUNICIPALITY_UNKNOWN');
    const mail = await runCommand(ConfigSet, ['contact.email', 'not-an-address', '--json'], e);
    expect(mail.exitCode).toBe(1);
    expect(JSON.parse(mail.stdout).error.code).toBe('SCHEMA');
    expect((await runCommand(ConfigSet, ['organization.municipalityCode', '091'], e)).exitCode).toBe(0);
  });

  it('an unknown key is a usage error (exit 2)', async () => {
    const e = env();
    const r = await runCommand(ConfigSet, ['organization.colour', 'blue', '--json'], e);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('CONFIG_KEY_UNKNOWN');
    expect((await runCommand(ConfigGet, ['nope'], e)).exitCode).toBe(2);
  });

  it('get of a key without a value exits 1', async () => {
    const r = await runCommand(ConfigGet, ['contact.name', '--json'], env());
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('CONFIG_NOT_SET');
  });

  it('--unset removes a key and its empty parents', async () => {
    const e = env();
    await runCommand(ConfigSet, ['contact.phone', '+358 40 123 4567'], e);
    await runCommand(ConfigSet, ['contact.phone', '--unset'], e);
    expect(JSON.parse(readFileSync(join(e.HANDOVER_HOME, 'config.json'), 'utf8'))).toEqual({});
  });

  it('makes the output folder absolute and lists in key order', async () => {
    const e = env();
    await runCommand(ConfigSet, ['defaults.outputFolder', 'out/handovers'], e);
    await runCommand(ConfigSet, ['organization.name', 'Keski-Suomen hyvinvointialue'], e);
    const list = await runCommand(ConfigList, ['--json'], e);
    const values = (JSON.parse(list.stdout) as { values: Record<string, string> }).values;
    expect(Object.keys(values)).toEqual(['organization.name', 'defaults.outputFolder']);
    expect(values['defaults.outputFolder']).toBe(join(process.cwd(), 'out/handovers'));
    const human = await runCommand(ConfigList, [], e);
    expect(human.stdout).toContain('organization.name=Keski-Suomen hyvinvointialue\n');
  });
});

describe('config set --file', () => {
  const party = {
    organization: {
      name: 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
      businessId: '0166906-4',
      municipalityCode: '905',
      address: { street: 'Sandögatan 6', postalCode: '65100', city: 'Vasa' },
    },
    contact: { name: 'Testi Käyttäjä', title: 'sosiaalityöntekijä', email: 'testi@example.fi' },
    backupContact: { name: 'Varsa Henkilö', phone: '+358 6 123 4567' },
  };

  it('loads a whole Party and replaces the saved one, keeping defaults', async () => {
    const e = env();
    await runCommand(ConfigSet, ['contact.phone', '+358 40 000 0000'], e);
    await runCommand(ConfigSet, ['defaults.language', 'sv'], e);
    const file = join(tempDir(), 'party.json');
    writeFileSync(file, JSON.stringify(party));
    const r = await runCommand(ConfigSet, ['--file', file, '--json'], e);
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout) as { set: Record<string, string>; unset: string[] };
    expect(res.set['organization.address.city']).toBe('Vasa');
    expect(res.unset).toEqual(['contact.phone']);
    const saved = JSON.parse(readFileSync(join(e.HANDOVER_HOME, 'config.json'), 'utf8'));
    expect(saved).toEqual({ ...party, defaults: { language: 'sv' } });
  });

  it('lists every problem of a bad Party at once and saves nothing', async () => {
    const e = env();
    const file = join(tempDir(), 'party.json');
    writeFileSync(
      file,
      JSON.stringify({
        organization: { name: 'X', businessId: '1000008-0', colour: 'red' },
        contact: { name: 'Ei Yhteystietoja' },
      }),
    );
    const r = await runCommand(ConfigSet, ['--file', file, '--json'], e);
    expect(r.exitCode).toBe(1);
    const details = (JSON.parse(r.stdout) as { error: { details: { rule: string; pointer: string }[] } })
      .error.details;
    expect(details.map((d) => `${d.rule} ${d.pointer}`).sort()).toEqual([
      'BUSINESS_ID_INVALID /organization/businessId',
      'SCHEMA /contact/email',
      'SCHEMA /organization/colour',
    ]);
    expect((await runCommand(ConfigList, ['--json'], e)).stdout).toContain('"values": {}');
  });

  it('a missing file is a usage error', async () => {
    const r = await runCommand(ConfigSet, ['--file', join(tempDir(), 'nope.json')], env());
    expect(r.exitCode).toBe(2);
  });
});

describe('defaults.language', () => {
  it('is the language of messages when neither --lang nor HANDOVER_LANG is given', async () => {
    const h = tempDir();
    await runCommand(ConfigSet, ['defaults.language', 'sv'], { HANDOVER_HOME: h });
    const r = await runCommand(ConfigGet, ['contact.name'], { HANDOVER_HOME: h, HANDOVER_LANG: undefined });
    expect(r.stderr).toContain('contact.name har inget värde.');
    const en = await runCommand(ConfigGet, ['contact.name', '--lang', 'en'], { HANDOVER_HOME: h });
    expect(en.stderr).toContain('contact.name has no value.');
  });
});

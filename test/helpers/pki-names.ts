/** What the shared test PKI holds (test/helpers/pki-setup.ts makes it; test-pki.ts reads it). */

export const ORG = 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde';

/** A CA and a signing certificate issued by it, per name: O = org, organizationIdentifier NTRFI-<businessId>. */
export const PKIS: Record<string, { org: string; businessId?: string }> = {
  default: { org: ORG },
  pirkanmaa: { org: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' },
  'ostrobothnia-0166906-4': { org: ORG, businessId: '0166906-4' },
};

/** Self-signed RSA-2048 parties for the CMS and seal tests: name -> O. */
export const PARTIES: Record<string, string> = {
  alice: ORG,
  bob: 'Testi Käyttäjä',
  ours: ORG,
  sender: 'Testi Käyttäjä',
  stranger: 'Muu Organisaatio',
  pohja: 'Pohjanmaan hyvinvointialue',
  'pohja-old': 'Pohjanmaan hyvinvointialue (vanha)',
};

/** RSA-3072 keys made ahead for the organisations of test/register/orgs.ts (`keys init` with a given key). */
export const ORG_KEYS = 8;

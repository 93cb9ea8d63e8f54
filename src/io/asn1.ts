/**
 * The one ASN.1 stack: pkijs (X.509, CRLs, CMS, RFC 3161, PKCS#8/#12) over asn1js. Loaded on
 * first use, synchronously (require of an ES module, Node >= 22.12): the certificate and CRL
 * readers are called from synchronous path checks, and `validate` without signatures should
 * not pay pkijs's start-up. require and import share one module instance, so the engine set
 * here is the one every caller sees.
 */
import { webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';

export type Pkijs = typeof import('pkijs');
export type Asn1js = typeof import('asn1js');

const require = createRequire(import.meta.url);
type Loaded = { pkijs: Pkijs; asn1js: Asn1js; engine: InstanceType<Pkijs['CryptoEngine']> };
let loaded: Loaded | undefined;

export function asn1(): Loaded {
  if (!loaded) {
    const pkijs = require('pkijs') as Pkijs;
    const asn1js = require('asn1js') as Asn1js;
    const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never });
    // Parsing helpers inside pkijs ask for the global engine.
    pkijs.setEngine('node', engine);
    loaded = { pkijs, asn1js, engine };
  }
  return loaded;
}

export class Asn1Error extends Error {}

export const toArrayBuffer = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Parses exactly one DER element filling `bytes`: trailing bytes are an error, not ignored. */
export function fromDer(bytes: Uint8Array): import('asn1js').AsnType {
  const { asn1js } = asn1();
  const r = asn1js.fromBER(toArrayBuffer(bytes));
  if (r.offset === -1 || r.offset !== bytes.length) throw new Asn1Error(r.result.error || 'trailing bytes');
  return r.result;
}

/**
 * Builds a pkijs object from DER with its schema check; throws Asn1Error for bytes that are
 * not that structure (pkijs throws plain Errors, or for some types fills in defaults).
 */
export function parseAs<T>(bytes: Uint8Array, make: (schema: import('asn1js').AsnType) => T): T {
  const schema = fromDer(bytes);
  try {
    return make(schema);
  } catch (e) {
    throw new Asn1Error(e instanceof Error ? e.message : 'schema');
  }
}

/** The contents octets of an asn1js block (an OCTET STRING, a BIT STRING without its pad byte, an INTEGER). */
export const hexBytes = (block: { valueBlock: { valueHexView: Uint8Array } }): Buffer =>
  Buffer.from(block.valueBlock.valueHexView);

/** An INTEGER's magnitude as upper-case hex without leading zeros (as node prints serials). */
export const serialHex = (int: { valueBlock: { valueHexView: Uint8Array } }): string =>
  hexBytes(int)
    .toString('hex')
    .replace(/^(00)+(?=.)/, '')
    .toUpperCase();

/** A string of a name attribute: UTF8String, PrintableString, IA5String or BMPString; else undefined. */
export function stringValue(v: unknown): string | undefined {
  const { asn1js } = asn1();
  if (
    v instanceof asn1js.Utf8String ||
    v instanceof asn1js.PrintableString ||
    v instanceof asn1js.IA5String ||
    v instanceof asn1js.BmpString
  )
    return v.valueBlock.value;
  return undefined;
}

/** DER → PEM with 64-character lines. */
export function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/**
 * An X.509 Name with each attribute in its own RDN, as CAs write them (pkijs alone would put
 * them all in one multi-valued RDN). Strings are UTF8String, the country a PrintableString.
 */
export function x509Name(
  attrs: { type: string; value: string }[],
): InstanceType<Pkijs['RelativeDistinguishedNames']> {
  const { pkijs, asn1js } = asn1();
  const seq = new asn1js.Sequence({
    value: attrs.map(
      ({ type, value }) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type,
              value:
                type === '2.5.4.6' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
            }).toSchema(),
          ],
        }),
    ),
  });
  return new pkijs.RelativeDistinguishedNames({ schema: fromDer(new Uint8Array(seq.toBER())) });
}

/** A positive INTEGER from a big-endian magnitude, minimally encoded. */
export function positiveInteger(magnitude: Uint8Array): import('asn1js').Integer {
  const { asn1js } = asn1();
  let b = Buffer.from(magnitude);
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return new asn1js.Integer({ valueHex: toArrayBuffer(b) });
}

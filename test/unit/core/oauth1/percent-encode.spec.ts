import {
  formDecode,
  parseForm,
  percentEncode,
} from '../../../../lib/core/oauth1/percent-encode.js';
import { seededRandom } from './seeded-random.js';

/** RFC 5849 §3.6, spelled out octet by octet: the reference the fast encoder is checked against. */
function referenceEncode(text: string): string {
  let out = '';
  for (const octet of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(octet);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${octet.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

describe('percentEncode (RFC 5849 §3.6)', () => {
  it('leaves exactly ALPHA, DIGIT, "-", ".", "_" and "~" unencoded, for every ASCII character', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const unreserved = /[A-Za-z0-9\-._~]/.test(char);
      expect(percentEncode(char)).toBe(
        unreserved ? char : `%${code.toString(16).toUpperCase().padStart(2, '0')}`,
      );
    }
  });

  it("encodes what encodeURIComponent does not: ! ' ( ) *", () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
    expect(encodeURIComponent("!'()*")).toBe("!'()*");
  });

  it('encodes a space as %20 (not +), with uppercase hex', () => {
    expect(percentEncode('Ladies + Gentlemen, a signed OAuth request!')).toBe(
      'Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
    );
    expect(percentEncode('\n\u007f')).toBe('%0A%7F');
  });

  it('encodes text as UTF-8 octets, astral characters included', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('a€b')).toBe('a%E2%82%ACb');
    expect(percentEncode('😀!')).toBe('%F0%9F%98%80%21');
    expect(percentEncode('日本語 (テスト)')).toBe(referenceEncode('日本語 (テスト)'));
  });

  it('encodes a lone surrogate as U+FFFD, as fetch and URLSearchParams send it, instead of throwing', () => {
    expect(percentEncode('a\uD800b')).toBe('a%EF%BF%BDb');
    expect(percentEncode('\uDC00')).toBe('%EF%BF%BD');
    expect(new URLSearchParams({ v: 'a\uD800b' }).toString()).toBe('v=a%EF%BF%BDb');
  });

  it('agrees with an octet-by-octet reference on 2000 random strings', () => {
    const random = seededRandom(5849);
    const mismatches: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const text = random.text(random.int(0, 24));
      if (percentEncode(text) !== referenceEncode(text)) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('formDecode / parseForm (W3C form decoding, as URLSearchParams)', () => {
  it('decodes + as a space and %XX as UTF-8', () => {
    expect(formDecode('2+q')).toBe('2 q');
    expect(formDecode('%3D%253D')).toBe('=%3D');
    expect(formDecode('caf%C3%A9')).toBe('café');
  });

  it('parses the RFC 5849 §3.4.1.3.1 query and body, keeping duplicates, empty values and order', () => {
    expect(parseForm('b5=%3D%253D&a3=a&c%40=&a2=r%20b')).toEqual([
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
    ]);
    expect(parseForm('c2&a3=2+q')).toEqual([
      ['c2', ''],
      ['a3', '2 q'],
    ]);
    expect(parseForm('')).toEqual([]);
    expect(parseForm('&&a=1&&')).toEqual([['a', '1']]);
    expect(parseForm('a=b=c')).toEqual([['a', 'b=c']]);
  });

  it('decodes hostile input (malformed escapes, invalid UTF-8) exactly like URLSearchParams, without throwing', () => {
    const hostile = [
      '%',
      '%zz=1',
      'a=%E0%A4%A',
      'a=%FF%FE',
      '%C3=%28',
      'x=%%%41',
      'a+b=c+%2B+d',
      '=v',
      'k=',
    ];
    for (const text of hostile) {
      expect(parseForm(text)).toEqual([...new URLSearchParams(text)]);
    }
  });

  it("follows the WHATWG decoder where Node's URLSearchParams does not (malformed escape + non-ASCII)", () => {
    // WHATWG: "%" not followed by two hex digits stays "%", "é" stays "é", "%3D" is "=".
    expect(parseForm('a=%é%3D3')).toEqual([['a', '%é=3']]);
    expect(parseForm('a=%C3%A9%ZZ%E2%82')).toEqual([['a', 'é%ZZ\uFFFD']]);
  });

  it("agrees with URLSearchParams on 2000 random ASCII forms (what a parsed URL's query holds)", () => {
    const random = seededRandom(3986);
    const alphabet = [
      'a',
      'B',
      '=',
      '&',
      '+',
      '%',
      '2',
      '0',
      'F',
      'C',
      '3',
      'E',
      'A',
      ' ',
      '~',
      '*',
    ];
    const mismatches: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const length = random.int(0, 20);
      for (let j = 0; j < length; j++) text += random.pick(alphabet);
      const expected = JSON.stringify([...new URLSearchParams(text)]);
      if (JSON.stringify(parseForm(text)) !== expected) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});

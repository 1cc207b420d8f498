import { encode } from 'iconv-lite';
import { createEncodingSniffer, csvEncodingFromLabel, type EncodingVerdict } from './encoding-detection';

function sniff(bytes: Uint8Array, chunkSize = bytes.length || 1): EncodingVerdict {
  const sniffer = createEncodingSniffer();
  for (let at = 0; at < bytes.length; at += chunkSize) sniffer.push(bytes.subarray(at, at + chunkSize));
  return sniffer.result();
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('createEncodingSniffer', () => {
  it('finds UTF-8 in ASCII, in multi-byte text and after a byte-order mark, however the bytes are split', () => {
    for (const text of ['email\na@b.co\n', 'email,name\nzoe@b.co,Zoë Ångström 東京 😀\n', '\uFEFFemail\nrené@b.co\n']) {
      const bytes = utf8(text);
      for (const size of [1, 2, 3, bytes.length]) expect(sniff(bytes, size).encoding).toBe('utf-8');
    }
    expect(sniff(new Uint8Array(0)).encoding).toBe('utf-8');
  });

  it('finds Windows-1252 in what a spreadsheet exports in that code page', () => {
    const bytes = encode('E-mail;Name;Note\nrene@b.co;René Müller;costs 5 €, “quoted”\n', 'windows-1252');
    for (const size of [1, 7, bytes.length]) {
      expect(sniff(bytes, size)).toEqual({ encoding: 'windows-1252', reason: `the bytes are not UTF-8 (from byte ${bytes.indexOf(0xe9)})` });
    }
  });

  it('finds ISO-8859-1 when a byte Windows-1252 leaves undefined occurs', () => {
    const bytes = Uint8Array.from([...encode('email,name\na@b.co,Ren\u00e9', 'latin1'), 0x8d, 0x0a]);
    expect(sniff(bytes).encoding).toBe('iso-8859-1');
    expect(sniff(bytes, 1).encoding).toBe('iso-8859-1');
  });

  it.each([
    ['an overlong form', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['a code point over U+10FFFF', [0xf4, 0xa0, 0x80, 0x80]],
    ['a lone continuation byte', [0x80]],
    ['a sequence cut off at the end', [0x41, 0xe2, 0x82]],
  ])('does not take %s for UTF-8', (_case, tail) => {
    expect(sniff(Uint8Array.from([0x61, 0x2c, ...tail])).encoding).toBe('windows-1252');
  });
});

describe('csvEncodingFromLabel', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['us-ascii', 'utf-8'],
    ['Windows-1252', 'windows-1252'],
    ['cp1252', 'windows-1252'],
    ['ISO-8859-1', 'iso-8859-1'],
    ['latin1', 'iso-8859-1'],
    ['"iso-8859-1"', 'iso-8859-1'],
  ])('reads %p', (label, expected) => {
    expect(csvEncodingFromLabel(label)).toBe(expected);
  });

  it('knows no other encodings', () => {
    expect(csvEncodingFromLabel('shift_jis')).toBeUndefined();
    expect(csvEncodingFromLabel('utf-16')).toBeUndefined();
    expect(csvEncodingFromLabel('__proto__')).toBeUndefined();
  });
});

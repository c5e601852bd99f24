import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactKey,
  compactKeyWithout,
  foldText,
  headerKey,
  narrowForms,
  words,
} from '#shared/domain/rules/text.ts';

/** Full-width signs beyond the ASCII block, as NFKC writes them. */
const WIDE_SIGNS = new Map<number, string>([
  [0xffe0, '¢'],
  [0xffe1, '£'],
  [0xffe2, '¬'],
  [0xffe3, ' \u0304'],
  [0xffe4, '¦'],
  [0xffe5, '¥'],
  [0xffe6, '₩'],
]);

/** Full-width forms by their code points: the ASCII block is 0xFEE0 above ASCII. */
function narrowByCodePoint(raw: string): string {
  let narrow = '';
  for (const char of raw) {
    const code = char.codePointAt(0) as number;
    if (code === 0x3000) narrow += ' ';
    else if (code >= 0xff01 && code <= 0xff5e) narrow += String.fromCharCode(code - 0xfee0);
    else narrow += WIDE_SIGNS.get(code) ?? char;
  }
  return narrow;
}

/**
 * The keys as first written (fold by NFD always, words by replace and split, keys by join), with
 * full-width forms narrowed by their code points first.
 */
const reference = {
  foldText: (raw: string) =>
    narrowByCodePoint(raw)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase(),
  words(raw: string): string[] {
    const key = reference
      .foldText(raw)
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    return key === '' ? [] : key.split('_');
  },
  compactKey: (raw: string) => reference.words(raw).join(''),
};

/** Survey-like text: letters with and without accents, digits, punctuation, spaces, any Unicode. */
const surveyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc
    .array(
      fc.constantFrom(
        ...'aAzZ09 -_./$()&,;:ñÑéÉüÜçÇøØßİıŁłÆæ\u0301\u0308\t\u00a0'.split(''),
        'Back-End',
        'EE.UU.',
        'México',
        'São Paulo',
        'Ingeniería',
        'ＭＸ',
        '４５，０００',
        '\u3000',
        '￥',
        '\uffe3',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

describe('narrowForms', () => {
  it('writes full-width forms as NFKC does and leaves every other character alone', () => {
    fc.assert(
      fc.property(surveyText, (raw) => {
        expect(narrowForms(raw)).toBe(narrowByCodePoint(raw));
      }),
      { numRuns: 2000 },
    );
    for (let code = 0xff01; code <= 0xff5e; code++) {
      const char = String.fromCharCode(code);
      expect(narrowForms(char)).toBe(char.normalize('NFKC'));
    }
    expect(narrowForms('４５，０００\u3000円')).toBe('45,000 円');
  });
});

describe('lookup keys', () => {
  it('fold, split and join as the reference does, for ASCII and any other text', () => {
    fc.assert(
      fc.property(surveyText, (raw) => {
        expect(foldText(raw)).toBe(reference.foldText(raw));
        expect(words(raw)).toEqual(reference.words(raw));
        expect(compactKey(raw)).toBe(reference.compactKey(raw));
        expect(headerKey(raw)).toBe(reference.words(raw).join('_'));
      }),
      { numRuns: 2000 },
    );
  });

  it('keys the usual spellings alike', () => {
    expect(compactKey('Back-End Developer')).toBe('backenddeveloper');
    expect(compactKey('  EE.UU. ')).toBe('eeuu');
    expect(compactKey('México')).toBe('mexico');
    expect(compactKey('-')).toBe('');
    expect(compactKey('Ｂａｃｋ－Ｅｎｄ\u3000Ｄｅｖｅｌｏｐｅｒ')).toBe('backenddeveloper');
    expect(words('Años de Experiencia')).toEqual(['anos', 'de', 'experiencia']);
    expect(headerKey('Años de Experiencia')).toBe('anos_de_experiencia');
    expect(compactKeyWithout('Desarrollador Back-End', new Set(['desarrollador']))).toBe('backend');
  });
}, 60_000);

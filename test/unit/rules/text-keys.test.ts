import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactKey,
  compactKeyWithout,
  foldText,
  headerKey,
  words,
} from '#shared/domain/rules/text.ts';

/** The keys as first written (fold by NFD always, words by replace and split, keys by join). */
const reference = {
  foldText: (raw: string) =>
    raw
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
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

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
    expect(words('Años de Experiencia')).toEqual(['anos', 'de', 'experiencia']);
    expect(headerKey('Años de Experiencia')).toBe('anos_de_experiencia');
    expect(compactKeyWithout('Desarrollador Back-End', new Set(['desarrollador']))).toBe('backend');
  });
}, 60_000);

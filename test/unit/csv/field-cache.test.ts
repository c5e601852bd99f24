import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecord } from '#shared/domain/csv/csv-record.ts';
import { FieldCache } from '#shared/domain/csv/field-cache.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

/** A record whose fields are ranges of one text (as the splitter hands them over). */
function recordOf(fields: readonly string[]): CsvRecord {
  const record = new CsvRecord();
  let text = '';
  fields.forEach((field, index) => {
    text += '|';
    record.starts[index] = text.length;
    text += field;
    record.ends[index] = text.length;
  });
  record.text = `${text}|`;
  record.count = fields.length;
  return record;
}

/** Survey-like spellings, accented Latin-1, characters beyond Latin-1, blanks and prefixes of each other. */
const spelling = fc.oneof(
  fc.constantFrom('Mexico', 'México', 'MX', 'M', '', ' ', 'Senior', 'Sr', 'Sr.', 'MXN', 'Monthly'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('Zürich', 'Kraków', '東京', 'Ørsted 🚀'),
);

describe('FieldCache', () => {
  it(
    'gives every field the value computed from its text, by position or by string, whatever it has seen before and however often it starts over',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(spelling, { minLength: 1, maxLength: 4 }), { maxLength: 200 }),
          fc.integer({ min: 1, max: 50 }),
          (rows, limit) => {
            let computed = 0;
            const cache = new FieldCache((text: string) => {
              computed += 1;
              return `<${text}>`;
            }, limit);
            for (const fields of rows) {
              const record = recordOf(fields);
              fields.forEach((field, index) => {
                expect(cache.ofField(record, index)).toBe(`<${field}>`);
                expect(cache.ofText(field)).toBe(`<${field}>`);
              });
              // Past the end of a short record (and before the first field): the empty text.
              expect(cache.ofField(record, fields.length)).toBe('<>');
              expect(cache.ofField(record, -1)).toBe('<>');
            }
            const fieldsSeen = rows.reduce((total, fields) => total + fields.length, 0);
            expect(computed).toBeLessThanOrEqual(2 * fieldsSeen + 2 * rows.length);
          },
        ),
        { numRuns: 300, seed: 20261202 },
      );
    },
  );

  it('computes a text once while it stays within the limit, and keeps answering once its trie is full', () => {
    let computed = 0;
    const cache = new FieldCache((text: string) => {
      computed += 1;
      return text.length;
    }, 100_000);
    // 9,000 distinct five-letter texts need far more trie nodes than a cache holds.
    const texts = Array.from({ length: 9_000 }, (_, index) => `k${String(index).padStart(4, '0')}`);
    for (let round = 0; round < 3; round++) {
      for (let start = 0; start < texts.length; start += 100) {
        const record = recordOf(texts.slice(start, start + 100));
        for (let index = 0; index < record.count; index++) {
          expect(cache.ofField(record, index)).toBe(5);
        }
      }
    }
    expect(computed).toBe(texts.length);
  });
});

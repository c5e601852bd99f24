import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePartials } from '#shared/domain/partial-payload.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import { aggregateCsv } from '#shared/domain/survey-file.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import { type CollectedCsv, collectCsv, splitAt } from './collect-records.ts';

/**
 * UTF-8 is split as bytes and decoded field by field (text-decoding.ts's `utf8ByteDecoder`). These
 * properties read the same bytes both ways, the other being the text decoded up front, and expect
 * the same result to the last character: records and lines, every rejection and its message, the
 * stored partials, and the error a malformed file is refused with.
 */

/** Every Unicode space JavaScript's `trim` and `\s` know beyond ASCII, and other traps. */
const UNICODE_SPACES = ['\u00a0', '\u2000', '\u2009', '\u200a', '\u202f', '\u3000', '\ufeff'];
const TRICKY = ['é', 'ñ', 'ü', '€', '£', '₹', '😀', '日本', 'Ã©', '\u0085', 'ÿ', 'À'];

const encoder = new TextEncoder();

/** Cut points anywhere in the bytes, middles of characters included. */
function cutsOf(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 12 });
}

async function readBothWays(
  bytes: Uint8Array,
  cuts: readonly number[],
  parseBatchChars: number,
): Promise<[CollectedCsv | string, CollectedCsv | string]> {
  const read = async (utf8Bytes: boolean) => {
    try {
      return await collectCsv(splitAt(bytes, cuts), { parseBatchChars, utf8Bytes });
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return [await read(true), await read(false)];
}

describe('UTF-8 read as bytes', () => {
  it('reads any CSV text exactly as the decoded text reads', PROPERTY_TEST, async () => {
    const char = fc.constantFrom(
      'a',
      '1',
      ' ',
      ',',
      ';',
      '"',
      '""',
      '\n',
      '\r\n',
      ...UNICODE_SPACES,
      ...TRICKY,
    );
    const field = fc.oneof(
      fc.array(char, { maxLength: 6 }).map((chars) => chars.join('')),
      // A quoted field, then spaces (Unicode ones too) before the delimiter: still one field.
      fc
        .tuple(
          fc.array(char, { maxLength: 5 }),
          fc.array(fc.constantFrom(' ', ...UNICODE_SPACES), { maxLength: 2 }),
        )
        .map(([inside, after]) => `"${inside.join('').replaceAll('"', '""')}"${after.join('')}`),
    );
    const line = fc.array(field, { minLength: 1, maxLength: 5 });
    const csv = fc
      .record({
        // Lines before the header that are blank only to a reader that knows Unicode spaces.
        before: fc.array(fc.array(fc.constantFrom(' ', ',', ...UNICODE_SPACES), { maxLength: 3 }), {
          maxLength: 2,
        }),
        delimiter: fc.constantFrom(',', ';', '\t'),
        lines: fc.array(line, { minLength: 1, maxLength: 12 }),
        bom: fc.boolean(),
        finalBreak: fc.boolean(),
      })
      .map(({ before, delimiter, lines, bom, finalBreak }) => {
        const text = [
          ...before.map((chars) => chars.join('')),
          ...lines.map((l) => l.join(delimiter)),
        ].join('\n');
        return encoder.encode(`${bom ? '\ufeff' : ''}${text}${finalBreak ? '\n' : ''}`);
      });
    await fc.assert(
      fc.asyncProperty(
        csv.chain((bytes) =>
          fc.tuple(fc.constant(bytes), cutsOf(bytes.length), fc.constantFrom(1, 7, 64, 65_536)),
        ),
        async ([bytes, cuts, batch]) => {
          const [asBytes, asText] = await readBothWays(bytes, cuts, batch);
          expect(asBytes).toEqual(asText);
        },
      ),
      { seed: 20_261_202, numRuns: 300 },
    );
  });

  it(
    'refuses invalid UTF-8 with the same error, wherever the chunks are cut',
    PROPERTY_TEST,
    async () => {
      // Valid text with one bad sequence somewhere: a lone continuation byte, a lead without its
      // continuation, an overlong form, a surrogate, a code point beyond U+10FFFF, a byte UTF-8
      // never uses. With a BOM the file is refused; without, it is read again as windows-1252.
      const bad = fc.constantFrom(
        [0x80],
        [0xc3],
        [0xe2, 0x82],
        [0xc0, 0xaf],
        [0xe0, 0x80, 0x80],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xf0, 0x8f, 0xbf, 0xbf],
        [0xf8],
        [0xff],
      );
      const file = fc
        .record({
          head: fc.array(fc.constantFrom('a', 'é', ',', '\n', '€'), { maxLength: 30 }),
          bad,
          tail: fc.array(fc.constantFrom('a', 'é', ',', '\n', '😀'), { maxLength: 30 }),
          bom: fc.boolean(),
        })
        .map(({ head, bad: sequence, tail, bom }) => {
          const before = encoder.encode(`${bom ? '\ufeff' : ''}name,value\n${head.join('')}`);
          const after = encoder.encode(`${tail.join('')}\n`);
          const bytes = new Uint8Array(before.length + sequence.length + after.length);
          bytes.set(before);
          bytes.set(sequence, before.length);
          bytes.set(after, before.length + sequence.length);
          return bytes;
        });
      await fc.assert(
        fc.asyncProperty(
          file.chain((bytes) => fc.tuple(fc.constant(bytes), cutsOf(bytes.length))),
          async ([bytes, cuts]) => {
            const [asBytes, asText] = await readBothWays(bytes, cuts, 64);
            expect(asBytes).toEqual(asText);
          },
        ),
        { seed: 20_261_203, numRuns: 300 },
      );
    },
  );

  it(
    'ingests survey rows with Unicode amounts, currencies and names exactly as the decoded text',
    PROPERTY_TEST,
    async () => {
      const salary = fc.constantFrom(
        '45000',
        '45 000',
        '45\u00a0000',
        '45\u202f000',
        '1.234,56 €',
        '€1.234,56',
        '€ 3500',
        '3500 €',
        '3500\u00a0€',
        'MXN 45000',
        'US$8,000',
        '£2,500',
        '₹ 90,000',
        '８０００',
        '2500\u00a0',
        '\u00a02500',
        '"1,234"',
        'n/a',
        '',
      );
      const country = fc.constantFrom(
        'MX',
        'México',
        'Mexico',
        'España',
        'US',
        'Côte d’Ivoire',
        'Ísland',
        '日本',
        'Brasil',
      );
      const role = fc.constantFrom(
        'Backend Developer',
        'Desarrollador Back-end',
        'Développeur',
        'Data Scientist',
        'Ingeniera de datos',
        'QA',
      );
      const seniority = fc.constantFrom('Senior', 'Sr.', 'Júnior', 'Semi-Senior', 'Líder', 'Mid');
      const currency = fc.constantFrom(
        'MXN',
        'EUR',
        '€',
        'USD',
        'US$',
        'Euro',
        '',
        'Peso mexicano',
      );
      const period = fc.constantFrom('monthly', 'Mensual', 'anual', 'Año', 'yearly');
      const row = fc
        .tuple(
          country,
          role,
          seniority,
          salary,
          currency,
          period,
          fc.constantFrom('2024', '2025', '２０２５'),
        )
        .map((fields) => fields.join(','));
      const file = fc
        .array(row, { minLength: 1, maxLength: 40 })
        .map((rows) =>
          encoder.encode(
            `country,role,seniority,salary,currency,period,year\n${rows.join('\n')}\n`,
          ),
        );
      const ingest = async (bytes: Uint8Array, cuts: readonly number[], utf8Bytes: boolean) => {
        const rejections: unknown[] = [];
        const { aggregation, format } = await aggregateCsv({
          fileName: 'survey.csv',
          open: async () =>
            (async function* () {
              yield* splitAt(bytes, cuts);
            })(),
          rules: DEFAULT_RULES,
          latestYear: 2026,
          rejections: {
            add: (rejection) => rejections.push(rejection),
            reset: () => (rejections.length = 0),
          },
          csv: { utf8Bytes, parseBatchChars: 64 },
        });
        const partials = encodePartials(
          [...aggregation.cells.values()].map(({ submission, aggregate }) => ({
            cell: submission.cell,
            aggregate,
          })),
        );
        return {
          format,
          accepted: aggregation.accepted,
          rejected: aggregation.rejected,
          rejections,
          partials,
        };
      };
      await fc.assert(
        fc.asyncProperty(
          file.chain((bytes) => fc.tuple(fc.constant(bytes), cutsOf(bytes.length))),
          async ([bytes, cuts]) => {
            const asBytes = await ingest(bytes, cuts, true);
            expect(asBytes).toEqual(await ingest(bytes, cuts, false));
            expect(asBytes.accepted + asBytes.rejected).toBeGreaterThan(0);
          },
        ),
        { seed: 20_261_204, numRuns: 150 },
      );
    },
  );
});

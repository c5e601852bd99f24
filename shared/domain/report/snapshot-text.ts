import type { CountryCode, Role, Seniority } from '../taxonomy.ts';
import {
  AMOUNTS_PER_CELL,
  compareDimensions,
  PUBLISHED,
  type ReportCellTable,
  SUPPRESSION_OF,
} from './cells.ts';
import type { PreviousReport } from './comparisons.ts';
import {
  type CellDimensions,
  CONFIDENCE_LEVELS,
  type Confidence,
  REPORT_LEVELS,
  type ReportCell,
  UNAVAILABLE_REASONS,
  type UnavailableReason,
} from './model.ts';
import { roundRatio } from './rounding.ts';
import {
  asciiBytes,
  MAX_PRINTED_CENTS,
  NUMBER_ROOM,
  putAscii,
  putBytes,
  putDigits,
  TextWriter,
  textCapacity,
} from './text-writer.ts';
import { confidenceFor } from './thresholds.ts';

/** Each level's, suppression's and confidence label's JSON text, as bytes. */
const LEVEL_TEXT = REPORT_LEVELS.map((level) => asciiBytes(JSON.stringify(level)));
const SUPPRESSION_TEXT = SUPPRESSION_OF.map((kind) => asciiBytes(JSON.stringify(kind ?? null)));
const CONFIDENCE_TEXT = Object.fromEntries(
  CONFIDENCE_LEVELS.map((label) => [label, asciiBytes(JSON.stringify(label))]),
) as Record<Confidence, Uint8Array>;

const REASON_TEXT = Object.fromEntries(
  UNAVAILABLE_REASONS.map((reason) => [reason, asciiBytes(JSON.stringify(reason))]),
) as Record<UnavailableReason, Uint8Array>;

/** The fixed pieces of text, as bytes. */
const LEVEL = asciiBytes('{"level":');
const COUNTRY = asciiBytes(',"country":');
const ROLE = asciiBytes(',"role":');
const SENIORITY = asciiBytes(',"seniority":');
const SUPPRESSED_TRUE_SUPPRESSION = asciiBytes(',"suppressed":true,"suppression":');
const SUPPRESSED_FALSE_N = asciiBytes(',"suppressed":false,"n":');
const CONFIDENCE = asciiBytes(',"confidence":');
const MONTHLY = asciiBytes(',"monthly":');
const ANNUAL = asciiBytes(',"annual":');
const MEAN_KEY = asciiBytes('{"mean":');
const P10 = asciiBytes(',"p10":');
const P25 = asciiBytes(',"p25":');
const MEDIAN_KEY = asciiBytes(',"median":');
const P75 = asciiBytes(',"p75":');
const P90 = asciiBytes(',"p90":');
const GROUP_ROLE = asciiBytes('{"role":');
const BASECOUNTRY = asciiBytes(',"baseCountry":');
const BASE_MEDIAN = asciiBytes(',"base":{"median":');
const BASE_MEAN = asciiBytes(',"mean":');
const COUNTRIES = asciiBytes('},"countries":[');
const BASE_NULL_COUNTRIES = asciiBytes(',"base":null,"countries":[');
const ENTRY_COUNTRY = asciiBytes('{"country":');
const N = asciiBytes(',"n":');
const MEDIANRATIO = asciiBytes(',"medianRatio":');
const MEANRATIO = asciiBytes(',"meanRatio":');
const NO_RATIOS = asciiBytes(',"medianRatio":null,"meanRatio":null,');
const NO_PREVIOUS_REPORT = asciiBytes(
  '"change":null,"changeUnavailableReason":"no-previous-report"',
);
const PREVIOUS_MISSING = asciiBytes('"change":null,"changeUnavailableReason":"previous-missing"');
const PREVIOUS_SUPPRESSED = asciiBytes(
  '"change":null,"changeUnavailableReason":"previous-suppressed"',
);
const PREVIOUSMEAN = asciiBytes(',"previousMean":');
const MEDIANCHANGE = asciiBytes(',"medianChange":');
const MEANCHANGE = asciiBytes(',"meanChange":');
const RATIOUNAVAILABLEREASON = asciiBytes(',"ratioUnavailableReason":');
const SUPPRESSEDCOUNTRIES = asciiBytes('],"suppressedCountries":[');
const SUPPRESSEDCOUNTRYDETAILS = asciiBytes('],"suppressedCountryDetails":[');
const SUPPRESSION = asciiBytes(',"suppression":');
const BASEUNAVAILABLEREASON = asciiBytes(',"baseUnavailableReason":');

/**
 * The snapshot's text of the cells and comparisons, written straight from the cell table: exactly
 * `JSON.stringify` of `reportCellsOf(table)` and of `buildComparisons(reportCellsOf(table), …)`,
 * key for key and digit for digit (the unit tests hold them to it), without building those
 * objects first, as bytes (`TextWriter`): no string per item or per number.
 */

const MEAN = 0;
const MEDIAN = 3;
const COMMA = 44;
const CLOSE = 125; // }

/** `JSON.stringify(reportCellsOf(table))`: the report's `cells` array. */
export function cellsJson(table: ReportCellTable): string {
  const out = new TextWriter(textCapacity(table.length, 512));
  writeCellsJson(table, out);
  return out.toString();
}

/**
 * Room for one comparison entry besides its country and previous report's head: its keys and
 * labels (about 260 bytes) and 9 numbers (`NUMBER_ROOM` each).
 */
const ENTRY_ROOM = 1024;

/**
 * Room for one cell's text besides its country, role and seniority: its keys (about 250 bytes),
 * level and labels, and 13 numbers (`NUMBER_ROOM` each).
 */
const CELL_ROOM = 1024;

/**
 * `cellsJson`, written into `out`. Each cell's pieces are put in a row into room made once for
 * the cell (`TextWriter.room`): hundreds of thousands of cells, two dozen pieces each.
 */
export function writeCellsJson(table: ReportCellTable, out: TextWriter): void {
  const { amounts, thresholds, codes } = table;
  const json = JSON.stringify;
  const countries: (Uint8Array | undefined)[] = [];
  const roles: (Uint8Array | undefined)[] = [];
  const seniorities: (Uint8Array | undefined)[] = [];
  // A cell's text but its country and numbers is the same for every cell of one level, role,
  // seniority and suppression: made once for each, in two pieces around the country.
  const heads = new Map<number, CellHead>();
  out.char(91); // [
  for (let index = 0; index < table.length; index++) {
    const dimensions = table.dimensions[index] as CellDimensions;
    const level = table.levels[index] as number;
    const suppression = table.suppression[index] as number;
    const roleCode = dimensions.role === undefined ? -1 : (codes[3 * index + 1] as number);
    const seniorityCode =
      dimensions.seniority === undefined ? -1 : (codes[3 * index + 2] as number);
    const hasCountry = dimensions.country !== undefined;
    const key =
      (((level * 2 + (hasCountry ? 1 : 0)) * CODE_SPAN + roleCode + 1) * CODE_SPAN +
        seniorityCode +
        1) *
        SUPPRESSION_TEXT.length +
      suppression;
    // (Codes beyond the span, never seen in a survey, would make keys collide: no caching then.)
    const cached = roleCode + 1 < CODE_SPAN && seniorityCode + 1 < CODE_SPAN;
    let head = cached ? heads.get(key) : undefined;
    if (head === undefined) {
      head = cellHead(
        level,
        hasCountry,
        dimensions.role === undefined
          ? undefined
          : out.codedBytes(roles, roleCode, dimensions.role, json),
        dimensions.seniority === undefined
          ? undefined
          : out.codedBytes(seniorities, seniorityCode, dimensions.seniority, json),
        suppression,
      );
      if (cached) heads.set(key, head);
    }
    const country =
      dimensions.country === undefined
        ? undefined
        : out.codedBytes(countries, codes[3 * index] as number, dimensions.country, json);
    const buffer = out.room(
      CELL_ROOM + head.before.length + (country?.length ?? 0) + head.after.length,
    );
    let at = out.position;
    if (index > 0) buffer[at++] = COMMA;
    at = putBytes(buffer, at, head.before);
    if (country !== undefined) at = putBytes(buffer, at, country);
    at = putBytes(buffer, at, head.after);
    if (suppression !== PUBLISHED) {
      out.position = at;
      continue;
    }
    const n = table.n[index] as number;
    const first = index * AMOUNTS_PER_CELL;
    at = putNumber(buffer, at, n);
    at = putBytes(buffer, at, CONFIDENCE_MONTHLY[confidenceFor(n, thresholds)]);
    at = putAmounts(buffer, at, amounts, first);
    at = putBytes(buffer, at, ANNUAL_GLUE);
    at = putAmounts(buffer, at, amounts, first + 6);
    buffer[at++] = CLOSE;
    buffer[at++] = CLOSE;
    out.position = at;
  }
  out.char(93); // ]
}

/** Codes of countries, roles and seniorities are below this (they rank the base cells' texts). */
const CODE_SPAN = 2 ** 21;

/** A cell's text before its country, and from after it to its numbers. */
interface CellHead {
  before: Uint8Array;
  after: Uint8Array;
}

function cellHead(
  level: number,
  hasCountry: boolean,
  role: Uint8Array | undefined,
  seniority: Uint8Array | undefined,
  suppression: number,
): CellHead {
  const before = [LEVEL, LEVEL_TEXT[level] as Uint8Array, ...(hasCountry ? [COUNTRY] : [])];
  const after = [
    ...(role ? [ROLE, role] : []),
    ...(seniority ? [SENIORITY, seniority] : []),
    ...(suppression === PUBLISHED
      ? [SUPPRESSED_FALSE_N]
      : [SUPPRESSED_TRUE_SUPPRESSION, SUPPRESSION_TEXT[suppression] as Uint8Array, CLOSE_TEXT]),
  ];
  return { before: Buffer.concat(before), after: Buffer.concat(after) };
}

const CLOSE_TEXT = asciiBytes('}');
/** A published cell's confidence label and the start of its monthly figures, by label. */
const CONFIDENCE_MONTHLY = {} as Record<Confidence, Uint8Array>;
for (const label of CONFIDENCE_LEVELS) {
  CONFIDENCE_MONTHLY[label] = Buffer.concat([
    CONFIDENCE,
    CONFIDENCE_TEXT[label],
    MONTHLY,
    MEAN_KEY,
  ]);
}
/** Between the monthly and the annual figures. */
const ANNUAL_GLUE = Buffer.concat([CLOSE_TEXT, ANNUAL, MEAN_KEY]);

/** The six amounts of one set of figures from `from` in `amounts`, each after its key but the first's. */
function putAmounts(buffer: Uint8Array, at: number, amounts: Float64Array, from: number): number {
  let position = putAmount(buffer, at, amounts[from] as number);
  position = putBytes(buffer, position, P10);
  position = putAmount(buffer, position, amounts[from + 1] as number);
  position = putBytes(buffer, position, P25);
  position = putAmount(buffer, position, amounts[from + 2] as number);
  position = putBytes(buffer, position, MEDIAN_KEY);
  position = putAmount(buffer, position, amounts[from + 3] as number);
  position = putBytes(buffer, position, P75);
  position = putAmount(buffer, position, amounts[from + 4] as number);
  position = putBytes(buffer, position, P90);
  return putAmount(buffer, position, amounts[from + 5] as number);
}

/**
 * A number as `JSON.stringify` writes it (NaN and infinities as `null`). Published amounts are
 * whole cents over 100, whose shortest text is the cents' digits with trailing zeros dropped:
 * written from them, without the engine's general conversion to a string.
 */
export function writeAmount(out: TextWriter, value: number): void {
  const buffer = out.room(NUMBER_ROOM);
  out.position = putAmount(buffer, out.position, value);
}

/** `writeAmount`, put at `at` of `buffer` (room made for `NUMBER_ROOM` bytes). */
function putAmount(buffer: Uint8Array, at: number, value: number): number {
  if (value >= 0) {
    const cents = Math.round(value * 100);
    if (cents <= MAX_PRINTED_CENTS && cents / 100 === value) {
      const remainder = cents % 100;
      let position = putDigits(buffer, at, (cents - remainder) / 100);
      if (remainder === 0) return position;
      const ones = remainder % 10;
      buffer[position++] = 46; // .
      buffer[position++] = 48 + (remainder - ones) / 10;
      if (ones !== 0) buffer[position++] = 48 + ones;
      return position;
    }
  }
  return putNumber(buffer, at, value);
}

/** Ratios are whole ten-thousandths (`RATIO_DECIMALS`) up to here: written from their digits. */
const MAX_PRINTED_RATIO_UNITS = 2 ** 50;

/**
 * A ratio or change as `JSON.stringify` writes it. Published ratios are whole ten-thousandths,
 * whose shortest text is their digits with trailing zeros dropped, as for amounts (`writeAmount`).
 */
export function writeRatio(out: TextWriter, value: number): void {
  const buffer = out.room(NUMBER_ROOM);
  out.position = putRatio(buffer, out.position, value);
}

/** `writeRatio`, put at `at` of `buffer` (room made for `NUMBER_ROOM` bytes). */
function putRatio(buffer: Uint8Array, at: number, value: number): number {
  const magnitude = Math.abs(value);
  const units = Math.round(magnitude * 10_000);
  if (units <= MAX_PRINTED_RATIO_UNITS && units / 10_000 === magnitude) {
    let position = at;
    if (units === 0) {
      buffer[position] = 48; // 0 (−0 too, as JSON.stringify writes it)
      return position + 1;
    }
    if (value < 0) buffer[position++] = 45; // -
    let fraction = units % 10_000;
    position = putDigits(buffer, position, (units - fraction) / 10_000);
    if (fraction === 0) return position;
    buffer[position++] = 46; // .
    let place = 1000;
    while (fraction > 0) {
      const digit = (fraction - (fraction % place)) / place;
      buffer[position++] = 48 + digit;
      fraction -= digit * place;
      place /= 10;
    }
    return position;
  }
  return putNumber(buffer, at, value);
}

/** Any number as `JSON.stringify` writes it, put at `at` of `buffer` (room: `NUMBER_ROOM`). */
function putNumber(buffer: Uint8Array, at: number, value: number): number {
  if (Number.isSafeInteger(value) && value >= 0) return putDigits(buffer, at, value);
  return putAscii(buffer, at, Number.isFinite(value) ? `${value}` : 'null');
}

/**
 * `JSON.stringify(buildComparisons(cellsOf(table), baseCountry, previous))`: for every role ×
 * seniority with country-role-seniority cells, each country against the base country and against
 * the previous year's report (comparisons.ts says what each field means).
 */
export function comparisonsJson(
  table: ReportCellTable,
  baseCountry: CountryCode,
  previous: PreviousReport | undefined,
): string {
  const out = new TextWriter(textCapacity(table.length, 512));
  writeComparisonsJson(table, baseCountry, previous, out);
  return out.toString();
}

/** `comparisonsJson`, written into `out`. */
export function writeComparisonsJson(
  table: ReportCellTable,
  baseCountry: CountryCode,
  previous: PreviousReport | undefined,
  out: TextWriter,
): void {
  const previousCells = new Map<string, Map<string, Map<string, ReportCell>>>();
  for (const cell of previous?.cells ?? []) {
    if (cell.level !== 'country-role-seniority') continue;
    const byRole = nested(nested(previousCells, cell.country ?? ''), cell.role ?? '');
    byRole.set(cell.seniority ?? '', cell);
  }
  // Country-role-seniority cells by role and seniority, in report order (by country within each);
  // those without a country are in no comparison, the others listed with their countries.
  const groups = new Map<string, Map<string, ComparisonGroup>>();
  const ordered: ComparisonGroup[] = [];
  for (let index = 0; index < table.length; index++) {
    const { level, country, role, seniority } = table.dimensions[index] as CellDimensions;
    if (level !== 'country-role-seniority' || !role || !seniority) continue;
    const bySeniority = nested(groups, role);
    let group = bySeniority.get(seniority);
    if (!group) {
      group = { role, seniority, cells: [], countries: [] };
      bySeniority.set(seniority, group);
      ordered.push(group);
    }
    if (!country) continue;
    group.cells.push(index);
    group.countries.push(country);
  }
  ordered.sort((a, b) =>
    compareDimensions(
      { level: 'role-seniority', role: a.role, seniority: a.seniority },
      { level: 'role-seniority', role: b.role, seniority: b.seniority },
    ),
  );
  const { amounts } = table;
  const json = JSON.stringify;
  const countryTexts: (Uint8Array | undefined)[] = [];
  const previousHead = previous
    ? `"change":{"previousYear":${json(previous.year)},"previousVersion":${json(previous.version)},"previousMedian":`
    : '';
  out.char(91); // [
  for (const [groupIndex, group] of ordered.entries()) {
    const { cells, countries } = group;
    let baseAt = -1;
    let baseSuppressed = false;
    for (let entry = 0; entry < cells.length; entry++) {
      const index = cells[entry] as number;
      const country = countries[entry] as CountryCode;
      if (table.suppression[index] !== PUBLISHED) {
        if (country === baseCountry) baseSuppressed = true;
      } else if (baseAt < 0 && country === baseCountry) baseAt = index * AMOUNTS_PER_CELL;
    }
    const reason: UnavailableReason | undefined =
      baseAt >= 0 ? undefined : baseSuppressed ? 'base-suppressed' : 'base-missing';
    const baseMedian = baseAt >= 0 ? (amounts[baseAt + MEDIAN] as number) : Number.NaN;
    const baseMean = baseAt >= 0 ? (amounts[baseAt + MEAN] as number) : Number.NaN;
    if (groupIndex > 0) out.char(COMMA);
    out.raw(GROUP_ROLE);
    out.escaped(group.role, json);
    out.raw(SENIORITY);
    out.escaped(group.seniority, json);
    out.raw(BASECOUNTRY);
    out.escaped(baseCountry, json);
    if (baseAt >= 0) {
      out.raw(BASE_MEDIAN);
      writeAmount(out, baseMedian);
      out.raw(BASE_MEAN);
      writeAmount(out, baseMean);
      out.raw(COUNTRIES);
    } else out.raw(BASE_NULL_COUNTRIES);
    let first = true;
    for (let entry = 0; entry < cells.length; entry++) {
      const index = cells[entry] as number;
      if (table.suppression[index] !== PUBLISHED) continue;
      const country = countries[entry] as CountryCode;
      const at = index * AMOUNTS_PER_CELL;
      const median = amounts[at + MEDIAN] as number;
      const mean = amounts[at + MEAN] as number;
      const countryText = out.codedBytes(
        countryTexts,
        table.codes[3 * index] as number,
        country,
        json,
      );
      const before = previous
        ? previousCells.get(country)?.get(group.role)?.get(group.seniority)
        : undefined;
      // Each entry's pieces put in a row into room made once (`TextWriter.room`).
      const previousText =
        previous && before && !before.suppressed ? out.fragmentBytes(previousHead) : undefined;
      const buffer = out.room(ENTRY_ROOM + countryText.length + (previousText?.length ?? 0));
      let position = out.position;
      if (!first) buffer[position++] = COMMA;
      first = false;
      position = putBytes(buffer, position, ENTRY_COUNTRY);
      position = putBytes(buffer, position, countryText);
      position = putBytes(buffer, position, N);
      position = putNumber(buffer, position, table.n[index] as number);
      position = putBytes(buffer, position, MEDIAN_KEY);
      position = putAmount(buffer, position, median);
      position = putBytes(buffer, position, BASE_MEAN);
      position = putAmount(buffer, position, mean);
      if (baseAt >= 0) {
        position = putBytes(buffer, position, MEDIANRATIO);
        position = putRatio(buffer, position, roundRatio(median / baseMedian));
        position = putBytes(buffer, position, MEANRATIO);
        position = putRatio(buffer, position, roundRatio(mean / baseMean));
        buffer[position++] = COMMA;
      } else position = putBytes(buffer, position, NO_RATIOS);
      if (!previous) position = putBytes(buffer, position, NO_PREVIOUS_REPORT);
      else if (!before) position = putBytes(buffer, position, PREVIOUS_MISSING);
      else if (before.suppressed) position = putBytes(buffer, position, PREVIOUS_SUPPRESSED);
      else {
        position = putBytes(buffer, position, previousText as Uint8Array);
        position = putAmount(buffer, position, before.monthly.median);
        position = putBytes(buffer, position, PREVIOUSMEAN);
        position = putAmount(buffer, position, before.monthly.mean);
        position = putBytes(buffer, position, MEDIANCHANGE);
        position = putRatio(buffer, position, roundRatio(median / before.monthly.median - 1));
        position = putBytes(buffer, position, MEANCHANGE);
        position = putRatio(buffer, position, roundRatio(mean / before.monthly.mean - 1));
        buffer[position++] = CLOSE;
      }
      if (reason) {
        position = putBytes(buffer, position, RATIOUNAVAILABLEREASON);
        position = putBytes(buffer, position, REASON_TEXT[reason]);
      }
      buffer[position++] = CLOSE;
      out.position = position;
    }
    out.raw(SUPPRESSEDCOUNTRIES);
    first = true;
    for (let entry = 0; entry < cells.length; entry++) {
      const index = cells[entry] as number;
      if (table.suppression[index] === PUBLISHED) continue;
      if (!first) out.char(COMMA);
      first = false;
      const country = countries[entry] as CountryCode;
      out.coded(countryTexts, table.codes[3 * index] as number, country, json);
    }
    out.raw(SUPPRESSEDCOUNTRYDETAILS);
    first = true;
    for (let entry = 0; entry < cells.length; entry++) {
      const index = cells[entry] as number;
      if (table.suppression[index] === PUBLISHED) continue;
      if (!first) out.char(COMMA);
      first = false;
      out.raw(ENTRY_COUNTRY);
      const country = countries[entry] as CountryCode;
      out.coded(countryTexts, table.codes[3 * index] as number, country, json);
      out.raw(SUPPRESSION);
      out.raw(SUPPRESSION_TEXT[table.suppression[index] as number] as Uint8Array);
      out.char(CLOSE);
    }
    out.char(93); // ]
    if (reason) {
      out.raw(BASEUNAVAILABLEREASON);
      out.raw(REASON_TEXT[reason]);
    }
    out.char(CLOSE);
  }
  out.char(93); // ]
}

/** A role and seniority's country-role-seniority cells that have a country, and those countries. */
interface ComparisonGroup {
  role: Role;
  seniority: Seniority;
  cells: number[];
  countries: CountryCode[];
}

function nested<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

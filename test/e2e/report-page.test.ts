import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSample } from '#cli/local/sample-seed.ts';
import type { Comparison, PublishedCell, Report } from '#shared/domain/report/model.ts';
import { type LocalStackFixture, startLocalStackFixture } from './local-stack-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium for this test`);
}
if (!hasChromium) {
  console.warn(`report page test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
}

const MONEY = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

const COUNTRY_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

let fixture: LocalStackFixture;
let browser: Browser;
let page: Page;
/** Every console error and uncaught exception of every page the test opens. */
const consoleErrors: string[] = [];

/** A page that reports its console errors, as a person with the developer tools open sees them. */
async function openPage(width: number, height: number): Promise<Page> {
  const opened = await browser.newPage({ viewport: { width, height } });
  opened.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${opened.url()})`);
  });
  opened.on('pageerror', (error) => consoleErrors.push(`${error.message} (${opened.url()})`));
  return opened;
}

/** Canvas pixels with any paint on them. */
function paintedPixels(target: Page, selector: string): Promise<number> {
  return target.$eval(selector, (canvas) => {
    const context = (canvas as HTMLCanvasElement).getContext('2d');
    const { data } = context?.getImageData(0, 0, canvas.clientWidth, canvas.clientHeight) ?? {
      data: [],
    };
    let painted = 0;
    for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) painted++;
    return painted;
  });
}

/** Two animation frames: charts follow their container's size through a ResizeObserver. */
function settle(target: Page): Promise<unknown> {
  return target.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

describe.skipIf(!hasChromium)('the report page in headless Chromium', () => {
  beforeAll(async () => {
    fixture = await startLocalStackFixture({ page: true });
    await seedSample(fixture.stack, [
      { name: 'en.csv', rows: 8000, seed: 5, language: 'en', badRows: 0.01, timestamps: false },
      { name: 'es.csv', rows: 4000, seed: 6, language: 'es', badRows: 0.01, timestamps: true },
    ]);
    // launch() gives every run a fresh temporary profile (user-data dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await openPage(1100, 900);
    await page.goto(`${fixture.stack.state.apiUrl}/`);
    await page.waitForSelector('#chart[data-rendered="true"]');
    await page.waitForSelector('#compare-chart[data-rendered="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    await fixture?.stop();
  });

  const api = async <T>(path: string) =>
    (await (await fetch(`${fixture.stack.state.apiUrl}${path}`)).json()) as T;

  const cellOf = async (country: string, role: string, seniority: string) => {
    const report = await api<Report>(
      `/reports/2025?country=${country}&role=${role}&seniority=${seniority}&level=country-role-seniority`,
    );
    return report.cells[0] as PublishedCell;
  };

  it('draws the chart of the default selection', async () => {
    const senior = await cellOf('MX', 'backend', 'senior');

    expect(await paintedPixels(page, '#chart')).toBeGreaterThan(1000);
    expect(await page.getAttribute('#chart', 'aria-label')).toContain(
      `Senior: median ${MONEY.format(senior.monthly.median)}`,
    );
    expect(await page.textContent('#status')).toContain('Mexico, 2025');
  });

  it('says when the report was published and which version it is, not its id', async () => {
    const report = await api<Report>('/reports/2025?level=overall');
    const subtitle = (await page.textContent('#subtitle')) ?? '';

    expect(subtitle).toMatch(/^2025 report · published \d{1,2} [A-Z][a-z]+ \d{4} · version 1$/);
    expect(subtitle).not.toContain(report.version);
    expect(await page.textContent('#status')).not.toContain(report.version);
  });

  it('draws the country comparison as a chart, with every country of the table', async () => {
    const { comparison } = await api<{ comparison: Comparison }>(
      '/reports/2025/compare?role=backend&seniority=senior&base=US',
    );
    const label = (await page.getAttribute('#compare-chart', 'aria-label')) ?? '';

    expect(await paintedPixels(page, '#compare-chart')).toBeGreaterThan(1000);
    for (const country of comparison.countries) {
      expect(label).toContain(MONEY.format(country.median));
    }
    expect(await page.locator('#compare-table tbody tr').count()).toBe(
      comparison.countries.length + comparison.suppressedCountries.length,
    );
  });

  it('shows what the API says when the country and role change', async () => {
    await page.selectOption('#country', 'US');
    await page.waitForFunction(() =>
      document.querySelector('#status')?.textContent?.includes('United States'),
    );
    await page.selectOption('#role', 'data');
    const expected = await cellOf('US', 'data', 'mid');

    const row = page.locator('#cells tbody tr[data-role="data"][data-seniority="mid"] td');

    expect(await row.nth(2).textContent()).toBe(expected.n.toLocaleString('en-US'));
    expect(await row.nth(3).textContent()).toBe(MONEY.format(expected.monthly.median));
    expect(await row.nth(4).textContent()).toBe(MONEY.format(expected.monthly.p25));
    expect(await row.nth(5).textContent()).toBe(MONEY.format(expected.monthly.p75));
    expect(await page.textContent('#chart-summary')).toContain(
      `Mid-level: median ${MONEY.format(expected.monthly.median)}`,
    );
  });

  it('compares a country with any base country', async () => {
    await page.selectOption('#country', 'MX');
    await page.selectOption('#role', 'backend');
    await page.selectOption('#seniority', 'senior');
    await page.selectOption('#base', 'US');
    const { comparison } = await api<{
      comparison: { countries: { country: string; median: number }[]; base: { median: number } };
    }>('/reports/2025/compare?role=backend&seniority=senior&base=US');
    const mexico = comparison.countries.find((country) => country.country === 'MX');
    const earns = `earns ${MONEY.format(mexico?.median ?? 0)} a month`;

    // Wait for this selection's sentence: an earlier one may name the United States too.
    await page.waitForFunction(
      (text) => document.querySelector('#compare-sentence')?.textContent?.includes(text),
      earns,
    );
    const sentence = await page.textContent('#compare-sentence');
    expect(sentence).toContain('United States');
    expect(sentence).toContain(earns);
    expect(sentence).toContain(`(${MONEY.format(comparison.base.median)})`);
  });

  it('lists a suppressed country in the comparison, saying why, instead of dropping it', async () => {
    const report = await api<Report>('/reports/2025');
    const withHidden = report.comparisons.find(
      (comparison) => comparison.suppressedCountryDetails.length > 0,
    );
    if (!withHidden) throw new Error('the sample has no comparison with a suppressed country');
    const [hidden] = withHidden.suppressedCountryDetails;
    await page.selectOption('#role', withHidden.role);
    await page.selectOption('#seniority', withHidden.seniority);

    // The previous selection's table may still show this country as a published row: wait for
    // the row of this comparison, which carries the reason it is hidden.
    const row = page.locator(
      `#compare-table tbody tr[data-country="${hidden?.country}"][data-suppression]`,
    );
    await row.waitFor();

    expect(await row.getAttribute('data-suppression')).toBe(hidden?.suppression);
    expect(await row.textContent()).toContain(
      hidden?.suppression === 'primary'
        ? 'suppressed: fewer than 5 respondents'
        : 'suppressed: hidden to protect another figure',
    );
    expect(await page.getAttribute('#compare-chart', 'aria-label')).toContain(
      `${COUNTRY_NAMES.of(hidden?.country ?? '')}: suppressed`,
    );
  });

  it('labels each suppressed cell with its own reason', async () => {
    const report = await api<Report>('/reports/2025?level=country-role-seniority');
    const hidden = report.cells.filter((cell) => cell.suppressed);
    const kinds = new Set(hidden.map((cell) => (cell.suppressed ? cell.suppression : '')));
    expect(kinds.size).toBeGreaterThan(0);

    for (const cell of hidden.slice(0, 6)) {
      if (!cell.suppressed) continue;
      await page.selectOption('#country', cell.country ?? '');
      const row = page.locator(
        `#cells tbody tr[data-role="${cell.role}"][data-seniority="${cell.seniority}"]`,
      );
      await page.waitForFunction(
        (name) => document.querySelector('#status')?.textContent?.startsWith(`${name}, 2025`),
        COUNTRY_NAMES.of(cell.country ?? ''),
      );
      expect(await row.getAttribute('data-suppression')).toBe(cell.suppression);
      expect(await row.textContent()).toContain(
        cell.suppression === 'primary'
          ? 'suppressed: fewer than 5 respondents'
          : 'suppressed: hidden to protect another figure',
      );
    }
  });

  it('keeps the selection in the address, so a reload or a shared link shows the same view', async () => {
    await page.selectOption('#country', 'US');
    await page.selectOption('#role', 'data');
    await page.selectOption('#seniority', 'mid');
    await page.selectOption('#base', 'MX');
    await page.waitForFunction(() => window.location.search.includes('base=MX'));
    const address = new URL(page.url());

    expect(Object.fromEntries(address.searchParams)).toEqual({
      year: '2025',
      country: 'US',
      role: 'data',
      seniority: 'mid',
      base: 'MX',
    });
    const shared = await openPage(1100, 900);
    for (const target of [page, shared]) {
      if (target === page) await page.reload();
      else await shared.goto(address.href);
      await target.waitForSelector('#compare-chart[data-rendered="true"]');
      const selected = await target.$$eval('select', (selects) =>
        Object.fromEntries(selects.map((select) => [select.id, select.value])),
      );
      expect(selected).toEqual({
        year: '2025',
        country: 'US',
        role: 'data',
        seniority: 'mid',
        base: 'MX',
      });
      expect(await target.textContent('#status')).toContain('United States, 2025');
      expect(await target.textContent('#compare-caption')).toContain('against Mexico');
    }
    await shared.close();
  });

  it('sorts the table from the keyboard', async () => {
    await page.focus('#cells th[data-sort="median"] button');
    await page.keyboard.press('Enter');

    const medians = await page.$$eval('#cells tbody tr:not(.suppressed) td:nth-child(4)', (cells) =>
      cells.map((cell) => Number(cell.textContent?.replace(/[$,]/g, ''))),
    );
    expect(await page.getAttribute('#cells th[data-sort="median"]', 'aria-sort')).toBe(
      'descending',
    );
    expect(medians).toEqual([...medians].sort((a, b) => b - a));
  });

  it('labels every control and fits a 390 px phone screen without sideways scrolling', async () => {
    const unlabeled = await page.$$eval('select', (selects) =>
      selects.filter((select) => !select.closest('label')).map((select) => select.id),
    );
    expect(unlabeled).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await settle(page);
    // Wider than the screen: the page itself, or any table inside its scrolling wrapper.
    const overflowing = await page.evaluate(() => [
      ...(document.documentElement.scrollWidth > window.innerWidth ? ['page'] : []),
      ...Array.from(document.querySelectorAll('table, dl, .chart, caption'))
        .filter((block) => {
          const box = block.getBoundingClientRect();
          const wrapper = block.parentElement;
          return (
            box.right > window.innerWidth + 0.5 ||
            (wrapper !== null && wrapper.scrollWidth > wrapper.clientWidth)
          );
        })
        .map((block) => block.id || block.tagName.toLowerCase()),
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-page-phone.png'), fullPage: true });

    expect(overflowing).toEqual([]);
    expect(await paintedPixels(page, '#compare-chart')).toBeGreaterThan(500);
    expect(existsSync(join(ARTIFACTS, 'report-page.png'))).toBe(true);
    expect(existsSync(join(ARTIFACTS, 'report-page-phone.png'))).toBe(true);
  });

  it('logs no error to the console on any page it opened', () => {
    expect(consoleErrors).toEqual([]);
  });
});

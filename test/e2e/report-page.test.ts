import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSample } from '#cli/local/sample-seed.ts';
import type { PublishedCell, Report } from '#shared/domain/report/model.ts';
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

let fixture: LocalStackFixture;
let browser: Browser;
let page: Page;

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
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${fixture.stack.state.apiUrl}/`);
    await page.waitForSelector('#chart[data-rendered="true"]');
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
    const paintedPixels = await page.$eval('#chart', (canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d');
      const { data } = context?.getImageData(0, 0, canvas.clientWidth, canvas.clientHeight) ?? {
        data: [],
      };
      let painted = 0;
      for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) painted++;
      return painted;
    });
    const senior = await cellOf('MX', 'backend', 'senior');

    expect(paintedPixels).toBeGreaterThan(1000);
    expect(await page.getAttribute('#chart', 'aria-label')).toContain(
      `Senior: median ${MONEY.format(senior.monthly.median)}`,
    );
    expect(await page.textContent('#status')).toContain('Mexico, 2025');
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

    await page.waitForFunction(() =>
      document.querySelector('#compare-sentence')?.textContent?.includes('United States'),
    );
    const sentence = await page.textContent('#compare-sentence');
    expect(sentence).toContain(`earns ${MONEY.format(mexico?.median ?? 0)} a month`);
    expect(sentence).toContain(`(${MONEY.format(comparison.base.median)})`);
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

  it('labels every control and fits a phone-width screen', async () => {
    const unlabeled = await page.$$eval('select', (selects) =>
      selects.filter((select) => !select.closest('label')).map((select) => select.id),
    );
    expect(unlabeled).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    // The chart follows its container through a ResizeObserver: let two frames pass.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'report-page-phone.png'), fullPage: true });

    expect(overflow).toBeLessThanOrEqual(0);
    expect(existsSync(join(ARTIFACTS, 'report-page.png'))).toBe(true);
  });
});

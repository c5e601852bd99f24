import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartData,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type {
  Comparison,
  Methodology,
  PublishedCell,
  Report,
  ReportCell,
} from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { ROLES, type Role, SENIORITIES, type Seniority } from '#shared/domain/taxonomy.ts';
import type { ReportSummary } from '#shared/http/api-schemas.ts';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

const ROLE_LABELS: Record<Role, string> = {
  backend: 'Back end',
  frontend: 'Front end',
  fullstack: 'Full stack',
  mobile: 'Mobile',
  devops: 'DevOps / SRE',
  data: 'Data',
  qa: 'QA',
  security: 'Security',
  embedded: 'Embedded',
  manager: 'Engineering manager',
};
const SENIORITY_LABELS: Record<Seniority, string> = {
  junior: 'Junior',
  mid: 'Mid-level',
  senior: 'Senior',
  lead: 'Lead',
};
const CONFIDENCE_ORDER = ['low', 'medium', 'high'];
const COUNTRY_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });
const MONEY = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const WHOLE = new Intl.NumberFormat('en-US');
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

type SortKey = 'role' | 'seniority' | 'n' | 'median' | 'p25' | 'p75' | 'mean' | 'confidence';

const state = {
  year: 0,
  country: '',
  role: 'backend' as Role,
  seniority: 'senior' as Seniority,
  base: '',
  sort: { key: 'role' as SortKey, descending: false },
  cells: [] as ReportCell[],
  // Until a report says which threshold it was published with.
  minRespondents: DEFAULT_THRESHOLDS.minRespondents,
};
type BandData = (number | [number, number] | null)[];
let chart: Chart<'bar' | 'line', BandData, string> | undefined;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new Error(problem.detail ?? `${path} answered ${response.status}`);
  }
  return (await response.json()) as T;
}

function countryName(code: string): string {
  return COUNTRY_NAMES.of(code) ?? code;
}

function fillSelect(select: HTMLSelectElement, options: [string, string][], selected: string) {
  select.replaceChildren(
    ...options.map(([value, label]) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      option.selected = value === selected;
      return option;
    }),
  );
}

function setStatus(text: string, isError = false) {
  const status = element('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function loadYears() {
  const { reports } = await getJson<{ reports: ReportSummary[] }>('/reports');
  if (reports.length === 0) {
    setStatus('No report has been published yet.');
    return;
  }
  const years = reports.map((report) => report.year).sort((a, b) => b - a);
  state.year = years[0] ?? 0;
  fillSelect(
    element('year'),
    years.map((year) => [String(year), String(year)]),
    String(state.year),
  );
  fillSelect(
    element('role'),
    ROLES.map((role) => [role, ROLE_LABELS[role]]),
    state.role,
  );
  fillSelect(
    element('seniority'),
    SENIORITIES.map((seniority) => [seniority, SENIORITY_LABELS[seniority]]),
    state.seniority,
  );
  await loadYear();
}

/** Countries and methodology of the chosen year, then everything that depends on them. */
async function loadYear() {
  const report = await getJson<Report>(`/reports/${state.year}?level=country`);
  const countries = report.cells
    .filter((reportCell) => reportCell.country)
    .map((reportCell) => reportCell.country ?? '');
  if (!countries.includes(state.country)) {
    state.country = countries.includes('MX') ? 'MX' : (countries[0] ?? '');
  }
  state.base = countries.includes(state.base) ? state.base : report.methodology.baseCountry;
  state.minRespondents = report.methodology.thresholds.minRespondents;
  const countryOptions = countries
    .map((code): [string, string] => [code, countryName(code)])
    .sort((a, b) => a[1].localeCompare(b[1]));
  fillSelect(element('country'), countryOptions, state.country);
  fillSelect(element('base'), countryOptions, state.base);
  element<HTMLAnchorElement>('csv-link').href = `/reports/${state.year}?format=csv`;
  renderMethodology(report.methodology);
  await Promise.all([loadCountry(), loadComparison()]);
}

/** The chosen country's cells: the chart (chosen role) and the table (every role). */
async function loadCountry() {
  setStatus('Loading…');
  const report = await getJson<Report>(
    `/reports/${state.year}?country=${state.country}&level=country-role-seniority`,
  );
  state.cells = report.cells;
  renderChart();
  renderTable();
  setStatus(
    `${countryName(state.country)}, ${state.year}: monthly pay in US dollars, report version ${report.version}.`,
  );
}

function publishedCell(role: Role, seniority: Seniority): PublishedCell | undefined {
  const found = state.cells.find(
    (reportCell) => reportCell.role === role && reportCell.seniority === seniority,
  );
  return found && !found.suppressed ? found : undefined;
}

function renderChart() {
  const canvas = element<HTMLCanvasElement>('chart');
  const bySeniority = SENIORITIES.map((seniority) => publishedCell(state.role, seniority));
  const labels = SENIORITIES.map((seniority) => SENIORITY_LABELS[seniority]);
  const bands = bySeniority.map((found) =>
    found ? ([found.monthly.p25, found.monthly.p75] as [number, number]) : null,
  );
  const medians = bySeniority.map((found) => (found ? found.monthly.median : null));
  const title = `${ROLE_LABELS[state.role]} in ${countryName(state.country)}, ${state.year}`;
  const summary = SENIORITIES.map((seniority, index) => {
    const found = bySeniority[index];
    return found
      ? `${SENIORITY_LABELS[seniority]}: median ${MONEY.format(found.monthly.median)} (${MONEY.format(found.monthly.p25)}–${MONEY.format(found.monthly.p75)})`
      : `${SENIORITY_LABELS[seniority]}: not published (fewer than ${state.minRespondents} respondents)`;
  }).join('; ');
  canvas.setAttribute('aria-label', `${title}. ${summary}.`);
  element('chart-summary').textContent = `${title}. ${summary}.`;
  const data: ChartData<'bar' | 'line', BandData, string> = {
    labels,
    datasets: [
      {
        type: 'bar' as const,
        label: '25th–75th percentile',
        data: bands,
        backgroundColor: 'rgba(37, 99, 235, 0.3)',
        borderColor: '#1d4ed8',
        borderWidth: 1,
      },
      {
        type: 'line' as const,
        label: 'Median',
        data: medians,
        showLine: false,
        pointStyle: 'rectRot' as const,
        pointRadius: 7,
        pointBackgroundColor: '#111827',
        borderColor: '#111827',
      },
    ],
  };
  if (chart) {
    chart.data = data;
    chart.update();
  } else {
    chart = new Chart<'bar' | 'line', BandData, string>(canvas, {
      type: 'bar',
      data,
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { beginAtZero: true, ticks: { callback: (value) => MONEY.format(Number(value)) } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => {
                const raw = item.raw as number | [number, number] | null;
                if (Array.isArray(raw))
                  return `P25–P75: ${MONEY.format(raw[0])}–${MONEY.format(raw[1])}`;
                return raw === null ? 'not published' : `Median: ${MONEY.format(raw)}`;
              },
            },
          },
        },
      },
    });
  }
  canvas.dataset.rendered = 'true';
}

function sortValue(reportCell: ReportCell, key: SortKey): number | string {
  switch (key) {
    case 'role':
      return ROLES.indexOf(reportCell.role ?? 'backend');
    case 'seniority':
      return SENIORITIES.indexOf(reportCell.seniority ?? 'junior');
    case 'confidence':
      return reportCell.suppressed ? -1 : CONFIDENCE_ORDER.indexOf(reportCell.confidence);
    case 'n':
      return reportCell.suppressed ? -1 : reportCell.n;
    default:
      return reportCell.suppressed ? -1 : reportCell.monthly[key];
  }
}

function renderTable() {
  const { key, descending } = state.sort;
  const rows = [...state.cells].sort((a, b) => {
    const first = sortValue(a, key);
    const second = sortValue(b, key);
    const order = first < second ? -1 : first > second ? 1 : 0;
    // Ties keep the taxonomy order: role, then seniority.
    const tie =
      sortValue(a, 'role') === sortValue(b, 'role')
        ? Number(sortValue(a, 'seniority')) - Number(sortValue(b, 'seniority'))
        : Number(sortValue(a, 'role')) - Number(sortValue(b, 'role'));
    return (descending ? -order : order) || tie;
  });
  element('cells-caption').textContent =
    `${countryName(state.country)}, ${state.year}, monthly US dollars. ` +
    `Cells with fewer than ${state.minRespondents} respondents are suppressed.`;
  const body = element('cells').querySelector('tbody');
  body?.replaceChildren(
    ...rows.map((reportCell) => {
      const row = document.createElement('tr');
      row.dataset.role = reportCell.role ?? '';
      row.dataset.seniority = reportCell.seniority ?? '';
      const role = ROLE_LABELS[reportCell.role ?? 'backend'];
      const seniority = SENIORITY_LABELS[reportCell.seniority ?? 'junior'];
      if (reportCell.suppressed) {
        row.className = 'suppressed';
        const note = cell(`suppressed: fewer than ${state.minRespondents} respondents`);
        note.colSpan = 6;
        row.append(cell(role), cell(seniority), note);
      } else {
        const { monthly } = reportCell;
        row.append(
          cell(role),
          cell(seniority),
          cell(WHOLE.format(reportCell.n), 'number'),
          cell(MONEY.format(monthly.median), 'number'),
          cell(MONEY.format(monthly.p25), 'number'),
          cell(MONEY.format(monthly.p75), 'number'),
          cell(MONEY.format(monthly.mean), 'number'),
          cell(reportCell.confidence),
        );
      }
      if (reportCell.role === state.role) row.classList.add('selected');
      return row;
    }),
  );
  for (const header of Array.from(
    element('cells').querySelectorAll<HTMLTableCellElement>('th[data-sort]'),
  )) {
    const sorted = header.dataset.sort === key;
    if (sorted) header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    else header.removeAttribute('aria-sort');
  }
}

async function loadComparison() {
  const { comparison } = await getJson<{ comparison: Comparison | null }>(
    `/reports/${state.year}/compare?role=${state.role}&seniority=${state.seniority}&base=${state.base}`,
  );
  const who = `${SENIORITY_LABELS[state.seniority].toLowerCase()} ${ROLE_LABELS[state.role].toLowerCase()} developers`;
  element('compare-caption').textContent =
    `${who.charAt(0).toUpperCase()}${who.slice(1)} in ${state.year}, monthly US dollars, against ${countryName(state.base)}.`;
  const body = element('compare-table').querySelector('tbody');
  const sentence = element('compare-sentence');
  if (!comparison) {
    body?.replaceChildren();
    sentence.textContent = `No respondents among ${who}.`;
    return;
  }
  body?.replaceChildren(
    ...comparison.countries.map((country) => {
      const row = document.createElement('tr');
      row.dataset.country = country.country;
      if (country.country === state.country) row.classList.add('selected');
      row.append(
        cell(countryName(country.country)),
        cell(WHOLE.format(country.n), 'number'),
        cell(MONEY.format(country.median), 'number'),
        cell(MONEY.format(country.mean), 'number'),
        cell(country.medianRatio === null ? '—' : PERCENT.format(country.medianRatio), 'number'),
      );
      return row;
    }),
  );
  const chosen = comparison.countries.find((country) => country.country === state.country);
  if (!comparison.base) {
    sentence.textContent = `${countryName(state.base)} has too few ${who} to compare against.`;
  } else if (!chosen || chosen.medianRatio === null) {
    sentence.textContent = `${countryName(state.country)} has too few ${who} to compare.`;
  } else {
    sentence.textContent =
      `In ${countryName(state.country)}, the median ${who.replace(/s$/, '')} earns ` +
      `${MONEY.format(chosen.median)} a month: ${PERCENT.format(chosen.medianRatio)} of the ` +
      `median in ${countryName(state.base)} (${MONEY.format(comparison.base.median)}).`;
  }
}

function renderMethodology(methodology: Methodology) {
  const { thresholds, quantiles } = methodology;
  const entries: [string, string][] = [
    ['Files', WHOLE.format(methodology.files)],
    ['Rows accepted', WHOLE.format(methodology.acceptedRows)],
    ['Rows rejected', WHOLE.format(methodology.rejectedRows)],
    ['Units', `${methodology.units.monthly}; ${methodology.units.annual}`],
    [
      'Privacy',
      `cells with fewer than ${thresholds.minRespondents} respondents are suppressed; p10 and p90 need ${thresholds.minRespondentsForOuterPercentiles}`,
    ],
    [
      'Confidence',
      `low below ${thresholds.mediumConfidenceFrom} respondents, high from ${thresholds.highConfidenceFrom}`,
    ],
    [
      'Percentiles',
      quantiles.relativeAccuracy === 0
        ? `${quantiles.method}: exact to the cent`
        : `${quantiles.method}, within ${PERCENT.format(quantiles.relativeAccuracy)} (relative)`,
    ],
    ['Rounding', methodology.rounding],
    [
      'Exchange rates (per USD)',
      Object.entries(methodology.normalization.exchangeRates)
        .map(([currency, rate]) => `${currency} ${rate}`)
        .join(', '),
    ],
    ['Version', `${methodology.version}, generated ${methodology.generatedAt}`],
  ];
  const list = document.createElement('dl');
  for (const [term, description] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = description;
    list.append(dt, dd);
  }
  element('methodology').replaceChildren(list);
}

function run(task: () => Promise<void>) {
  task().catch((error: Error) => setStatus(`Could not load the report: ${error.message}`, true));
}

function listen() {
  element<HTMLSelectElement>('year').addEventListener('change', (event) => {
    state.year = Number((event.target as HTMLSelectElement).value);
    run(loadYear);
  });
  element<HTMLSelectElement>('country').addEventListener('change', (event) => {
    state.country = (event.target as HTMLSelectElement).value;
    run(async () => {
      await Promise.all([loadCountry(), loadComparison()]);
    });
  });
  element<HTMLSelectElement>('role').addEventListener('change', (event) => {
    state.role = (event.target as HTMLSelectElement).value as Role;
    renderChart();
    renderTable();
    run(loadComparison);
  });
  element<HTMLSelectElement>('seniority').addEventListener('change', (event) => {
    state.seniority = (event.target as HTMLSelectElement).value as Seniority;
    run(loadComparison);
  });
  element<HTMLSelectElement>('base').addEventListener('change', (event) => {
    state.base = (event.target as HTMLSelectElement).value;
    run(loadComparison);
  });
  for (const header of Array.from(
    element('cells').querySelectorAll<HTMLTableCellElement>('th[data-sort]'),
  )) {
    header.querySelector('button')?.addEventListener('click', () => {
      const key = header.dataset.sort as SortKey;
      state.sort =
        state.sort.key === key
          ? { key, descending: !state.sort.descending }
          : { key, descending: key !== 'role' && key !== 'seniority' };
      renderTable();
    });
  }
}

listen();
run(loadYears);

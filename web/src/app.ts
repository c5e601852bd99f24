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
  SuppressionKind,
} from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import {
  isRole,
  isSeniority,
  ROLES,
  type Role,
  SENIORITIES,
  type Seniority,
} from '#shared/domain/taxonomy.ts';
import type { ReportSummary, UploadSummary } from '#shared/http/api-schemas.ts';

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
const PUBLISHED_ON = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

type SortKey = 'role' | 'seniority' | 'n' | 'median' | 'p25' | 'p75' | 'mean' | 'confidence';

/** What the address says was chosen (`/?year=2025&country=MX&role=backend…`): a view to share. */
const requested = new URLSearchParams(window.location.search);
const requestedRole = requested.get('role') ?? '';
const requestedSeniority = requested.get('seniority') ?? '';

const state = {
  year: 0,
  country: (requested.get('country') ?? '').toUpperCase(),
  role: (isRole(requestedRole) ? requestedRole : 'backend') as Role,
  seniority: (isSeniority(requestedSeniority) ? requestedSeniority : 'senior') as Seniority,
  base: (requested.get('base') ?? '').toUpperCase(),
  sort: { key: 'role' as SortKey, descending: false },
  cells: [] as ReportCell[],
  // Until a report says which threshold it was published with.
  minRespondents: DEFAULT_THRESHOLDS.minRespondents,
};
type BandData = (number | [number, number] | null)[];
let chart: Chart<'bar' | 'line', BandData, string> | undefined;
let compareChart: Chart<'bar', (number | null)[], string> | undefined;

/** The selection into the address bar, so a reload or a shared link shows the same view. */
function rememberSelection() {
  const selection = new URLSearchParams({
    year: String(state.year),
    country: state.country,
    role: state.role,
    seniority: state.seniority,
    base: state.base,
  });
  const search = `?${selection}`;
  if (window.location.search !== search) window.history.replaceState(null, '', search);
}

/** Why a cell is not shown, in words (the CLI says the same). */
function suppressionReason(kind: SuppressionKind): string {
  return kind === 'primary'
    ? `fewer than ${state.minRespondents} respondents`
    : 'hidden to protect another figure';
}

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

/** A table cell; `label` names its column where narrow screens stack a row's cells. */
function cell(text: string, label: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  td.dataset.label = label;
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
  const requestedYear = Number(requested.get('year'));
  state.year = years.includes(requestedYear) ? requestedYear : (years[0] ?? 0);
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
  renderSubtitle(report);
  const { uploads } = await getJson<{ uploads: UploadSummary[] }>(`/reports/${state.year}/uploads`);
  renderMethodology(report.methodology, uploads);
  await Promise.all([loadCountry(), loadComparison()]);
}

/** "2025 report · published 2 December 2026 · version 3": the version as a reader counts it. */
function renderSubtitle(report: Report) {
  const parts = [
    `${report.year} report`,
    `published ${PUBLISHED_ON.format(new Date(report.generatedAt))}`,
    ...(report.versionNumber ? [`version ${report.versionNumber}`] : []),
  ];
  element('subtitle').textContent = parts.join(' · ');
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
  rememberSelection();
  setStatus(`${countryName(state.country)}, ${state.year}: monthly pay in US dollars.`);
}

function cellOf(role: Role, seniority: Seniority): ReportCell | undefined {
  return state.cells.find(
    (reportCell) => reportCell.role === role && reportCell.seniority === seniority,
  );
}

function publishedCell(role: Role, seniority: Seniority): PublishedCell | undefined {
  const found = cellOf(role, seniority);
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
    if (found) {
      return `${SENIORITY_LABELS[seniority]}: median ${MONEY.format(found.monthly.median)} (${MONEY.format(found.monthly.p25)}–${MONEY.format(found.monthly.p75)})`;
    }
    const hidden = cellOf(state.role, seniority);
    return hidden?.suppressed
      ? `${SENIORITY_LABELS[seniority]}: not published (${suppressionReason(hidden.suppression)})`
      : `${SENIORITY_LABELS[seniority]}: no respondents`;
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
    `Groups with fewer than ${state.minRespondents} respondents are not shown, nor are groups ` +
    'hidden to protect them; each such row says which.';
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
        row.dataset.suppression = reportCell.suppression;
        const note = cell(`suppressed: ${suppressionReason(reportCell.suppression)}`, 'Figures');
        note.colSpan = 6;
        row.append(cell(role, 'Role'), cell(seniority, 'Seniority'), note);
      } else {
        const { monthly } = reportCell;
        row.append(
          cell(role, 'Role'),
          cell(seniority, 'Seniority'),
          cell(WHOLE.format(reportCell.n), 'n', 'number'),
          cell(MONEY.format(monthly.median), 'Median', 'number'),
          cell(MONEY.format(monthly.p25), 'P25', 'number'),
          cell(MONEY.format(monthly.p75), 'P75', 'number'),
          cell(MONEY.format(monthly.mean), 'Mean', 'number'),
          cell(reportCell.confidence, 'Confidence'),
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
  rememberSelection();
  const who = `${SENIORITY_LABELS[state.seniority].toLowerCase()} ${ROLE_LABELS[state.role].toLowerCase()} developers`;
  element('compare-caption').textContent =
    `${who.charAt(0).toUpperCase()}${who.slice(1)} in ${state.year}, monthly US dollars, against ${countryName(state.base)}.`;
  const body = element('compare-table').querySelector('tbody');
  const sentence = element('compare-sentence');
  if (!comparison) {
    body?.replaceChildren();
    renderComparisonChart(undefined, who);
    sentence.textContent = `No respondents among ${who}.`;
    return;
  }
  const published = comparison.countries.map((country) => {
    const row = document.createElement('tr');
    row.dataset.country = country.country;
    if (country.country === state.country) row.classList.add('selected');
    row.append(
      cell(countryName(country.country), 'Country'),
      cell(WHOLE.format(country.n), 'n', 'number'),
      cell(MONEY.format(country.median), 'Median', 'number'),
      cell(MONEY.format(country.mean), 'Mean', 'number'),
      cell(
        country.medianRatio === null ? '—' : PERCENT.format(country.medianRatio),
        'vs base',
        'number',
      ),
    );
    return row;
  });
  // A country left out of the comparison says so, and why.
  const suppressed = comparison.suppressedCountryDetails.map(({ country, suppression }) => {
    const row = document.createElement('tr');
    row.dataset.country = country;
    row.dataset.suppression = suppression;
    row.className = 'suppressed';
    const note = cell(`suppressed: ${suppressionReason(suppression)}`, 'Figures');
    note.colSpan = 4;
    row.append(cell(countryName(country), 'Country'), note);
    return row;
  });
  body?.replaceChildren(...published, ...suppressed);
  renderComparisonChart(comparison, who);
  const chosen = comparison.countries.find((country) => country.country === state.country);
  const chosenHidden = comparison.suppressedCountryDetails.find(
    (detail) => detail.country === state.country,
  );
  if (!comparison.base) {
    sentence.textContent = `${countryName(state.base)} has too few ${who} to compare against.`;
  } else if (chosenHidden) {
    sentence.textContent =
      `${countryName(state.country)}'s figures for ${who} are not published ` +
      `(${suppressionReason(chosenHidden.suppression)}).`;
  } else if (!chosen || chosen.medianRatio === null) {
    sentence.textContent = `${countryName(state.country)} has no ${who} to compare.`;
  } else {
    sentence.textContent =
      `In ${countryName(state.country)}, the median ${who.replace(/s$/, '')} earns ` +
      `${MONEY.format(chosen.median)} a month: ${PERCENT.format(chosen.medianRatio)} of the ` +
      `median in ${countryName(state.base)} (${MONEY.format(comparison.base.median)}).`;
  }
}

/** The comparison as bars of the median, highest first; suppressed countries listed, unfilled. */
function renderComparisonChart(comparison: Comparison | undefined, who: string) {
  const canvas = element<HTMLCanvasElement>('compare-chart');
  const countries = [...(comparison?.countries ?? [])].sort((a, b) => b.median - a.median);
  const hidden = comparison?.suppressedCountryDetails ?? [];
  const labels = [
    ...countries.map((country) => countryName(country.country)),
    ...hidden.map((detail) => `${countryName(detail.country)} (suppressed)`),
  ];
  const medians = [...countries.map((country) => country.median), ...hidden.map(() => null)];
  const colors = countries.map((country) =>
    country.country === state.base
      ? '#111827'
      : country.country === state.country
        ? '#1d4ed8'
        : 'rgba(37, 99, 235, 0.45)',
  );
  const summary = [
    ...countries.map(
      (country) =>
        `${countryName(country.country)} ${MONEY.format(country.median)}` +
        (country.medianRatio === null || country.country === state.base
          ? ''
          : ` (${PERCENT.format(country.medianRatio)} of ${countryName(state.base)})`),
    ),
    ...hidden.map(
      (detail) =>
        `${countryName(detail.country)}: suppressed, ${suppressionReason(detail.suppression)}`,
    ),
  ];
  const text =
    labels.length === 0
      ? `No respondents among ${who} in ${state.year}.`
      : `Median monthly pay of ${who}, ${state.year}: ${summary.join('; ')}.`;
  canvas.setAttribute('aria-label', text);
  element('compare-summary').textContent = text;
  // One bar per country: the chart grows with the list instead of squeezing it.
  const container = canvas.parentElement;
  if (container) container.style.height = `${Math.max(8, 2 + labels.length * 1.75)}rem`;
  const data = {
    labels,
    datasets: [{ label: 'Median', data: medians, backgroundColor: colors, borderWidth: 0 }],
  };
  if (compareChart) {
    compareChart.data = data;
    compareChart.update();
  } else {
    compareChart = new Chart<'bar', (number | null)[], string>(canvas, {
      type: 'bar',
      data,
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { beginAtZero: true, ticks: { callback: (value) => MONEY.format(Number(value)) } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) =>
                item.raw === null ? 'not published' : `Median: ${MONEY.format(Number(item.raw))}`,
            },
          },
        },
      },
    });
  }
  canvas.dataset.rendered = 'true';
}

function renderMethodology(methodology: Methodology, uploads: readonly UploadSummary[]) {
  const { thresholds, quantiles } = methodology;
  const withoutYear = uploads.reduce(
    (total, upload) => total + (upload.rejectedWithoutYear ?? 0),
    0,
  );
  const entries: [string, string][] = [
    ['Files', WHOLE.format(methodology.files)],
    ['Rows accepted', WHOLE.format(methodology.acceptedRows)],
    [
      'Rows rejected',
      WHOLE.format(methodology.rejectedRows) +
        (withoutYear > 0
          ? `; the files also had ${WHOLE.format(withoutYear)} ${withoutYear === 1 ? 'row' : 'rows'} ` +
            "without a readable survey year, which count in no year's report"
          : ''),
    ],
    ['Units', `${methodology.units.monthly}; ${methodology.units.annual}`],
    [
      'Privacy',
      `groups with fewer than ${thresholds.minRespondents} respondents are not published; ` +
        'other groups are hidden too when a published total minus its published parts would ' +
        `give a hidden group's figures away. p10 and p90 need ${thresholds.minRespondentsForOuterPercentiles} respondents.`,
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
    [
      'Version',
      `published ${methodology.generatedAt.replace('T', ' ').slice(0, 16)} UTC; id ${methodology.version}`,
    ],
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
    rememberSelection();
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

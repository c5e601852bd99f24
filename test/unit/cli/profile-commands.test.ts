import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackFixture, startLocalStackFixture } from '#test/e2e/local-stack-fixture.ts';
import {
  type ExpectedOutcome,
  hrisShape,
  kaggleShape,
  type ShapeFixture,
  stackOverflowShape,
  sysarmyShape,
} from '../../support/profile-shapes.ts';
import { runCliCaptured } from './run-cli.ts';

let fixture: LocalStackFixture;
let cwd: string;
const run = (...argv: string[]) => runCliCaptured(argv, cwd);
const local = () => ['--data-dir', fixture.dataDirectory];
const SHAPES: readonly ShapeFixture[] = [
  kaggleShape(),
  sysarmyShape(),
  stackOverflowShape(),
  hrisShape(),
];
const yearOf = (shape: ShapeFixture) => shape.key.split('/')[1] ?? '';
const fileOf = (shape: ShapeFixture) => basename(shape.key);

beforeAll(async () => {
  fixture = await startLocalStackFixture();
  cwd = fixture.workDirectory;
  for (const shape of SHAPES) {
    writeFileSync(join(cwd, fileOf(shape)), shape.csv);
    writeFileSync(join(cwd, `${shape.name}.json`), `${JSON.stringify(shape.profile, null, 2)}\n`);
  }
});

afterAll(async () => {
  await fixture?.stop();
});

function excludedText(expected: ExpectedOutcome): string {
  const entries = Object.entries(expected.excluded);
  const total = entries.reduce((sum, [, rows]) => sum + rows, 0);
  return `${total} excluded (${entries.map(([reason, rows]) => `${reason} ${rows}`).join(', ')})`;
}

describe('salary-report profile suggest', () => {
  it('drafts most of the Kaggle profile: columns, the EN/MI/SE/EX table, full-time rows', async () => {
    const shape = SHAPES[0] as ShapeFixture;
    const { exitCode, stdout, stderr } = await run('profile', 'suggest', fileOf(shape));

    expect(exitCode).toBe(0);
    const draft = JSON.parse(stdout);
    expect(draft.columns).toMatchObject({
      country: 'employee_residence',
      year: 'work_year',
      seniority: 'experience_level',
    });
    expect(draft.values.seniority).toEqual({ EN: 'junior', EX: 'lead', MI: 'mid', SE: 'senior' });
    expect(draft.include).toEqual({ employment_type: ['FT'] });
    expect(draft._todo.join('\n')).toContain('period: no pay period column');
    expect(draft._todo.join('\n')).toContain('"Research Scientist"');
    expect(stderr).toContain('salary_usd: "salary_in_usd"');
  });

  it('sees the implied country, local currency and monthly period of a national survey', async () => {
    const shape = SHAPES[1] as ShapeFixture;
    const draft = JSON.parse((await run('profile', 'suggest', fileOf(shape))).stdout);

    expect(draft.constants).toEqual({ country: 'AR', currency: 'local', period: 'monthly' });
    expect(draft.columns).toEqual({
      salary: 'Salario mensual (en tu moneda local)',
      role: 'Trabajo de',
    });
    expect(draft._todo.join('\n')).toMatch(/"Developer" \(\d+\).*"HelpDesk"/);
  });

  it('splits DevType and keeps full-time Employment in a Stack Overflow-style file', async () => {
    const shape = SHAPES[2] as ShapeFixture;
    const draft = JSON.parse((await run('profile', 'suggest', fileOf(shape))).stdout);

    expect(draft.columns).toEqual({
      salary_usd: 'ConvertedCompYearly',
      role: 'DevType',
      years_experience: 'YearsCodePro',
    });
    expect(draft.constants).toEqual({ period: 'annual' });
    expect(draft.split).toEqual({ employment_type: ';', role: ';' });
    expect(draft.include).toEqual({ employment_type: ['Employed, full-time'] });
  });

  it('reads an HR export: amounts with their currency, pay type, job level; not the employee number', async () => {
    const shape = SHAPES[3] as ShapeFixture;
    const { stdout, stderr } = await run('profile', 'suggest', fileOf(shape));
    const draft = JSON.parse(stdout);

    expect(draft.columns).toEqual({
      period: 'Pay Schedule',
      salary: 'Pay Rate',
      employment_type: 'Pay Type',
      seniority: 'Job Level',
    });
    expect(draft.constants).toEqual({ currency: 'local' });
    expect(draft.include).toEqual({ employment_type: ['Salary'] });
    expect(draft._todo.join('\n')).toMatch(/values\.seniority: .*"IC1"/);
    expect(draft._todo.join('\n')).toContain('"Software Engineer"');
    expect(stderr).toContain('hourly pay cannot be made monthly');
    expect(stdout).not.toContain('Employee #');
  });
});

describe('salary-report profile check', () => {
  it.each(SHAPES.map((shape) => [shape.name, shape] as const))(
    'runs the whole normalization of the %s shape locally, by reason with examples',
    async (_name, shape) => {
      const { exitCode, stdout } = await run(
        'profile',
        'check',
        fileOf(shape),
        '--profile',
        `${shape.name}.json`,
        '--year',
        yearOf(shape),
      );

      expect(exitCode).toBe(0);
      expect(stdout).toContain(
        `accepted: ${shape.expected.accepted.toLocaleString('en-US')} row(s)`,
      );
      expect(stdout).toContain(`rejected: ${shape.expected.rejected} row(s)`);
      for (const [reason, rows] of Object.entries(shape.expected.excluded)) {
        expect(stdout).toMatch(new RegExp(`${reason}: ${rows} \\(lines \\d+`));
      }
      for (const [reason, rows] of Object.entries(shape.expected.rejectedByReason)) {
        expect(stdout).toMatch(new RegExp(`${reason}: ${rows}\\n\\s+line \\d+, `));
      }
    },
  );

  it('refuses an invalid profile, naming its file, line and field', async () => {
    writeFileSync(join(cwd, 'bad.json'), '{\n  "constants": {\n    "period": "hourly"\n  }\n}\n');
    const { exitCode, stderr } = await run(
      'profile',
      'check',
      fileOf(SHAPES[0] as ShapeFixture),
      '--profile',
      'bad.json',
    );

    expect(exitCode).toBe(1);
    expect(stderr).toContain(
      `profile "bad" (${join(cwd, 'bad.json')}): line 3, constants.period: "hourly" is not a known period`,
    );
  });
});

describe('salary-report upload --profile on the local stack', () => {
  it.each(SHAPES.map((shape) => [shape.name, shape] as const))(
    'puts the %s profile, uploads with its metadata and prints the excluded rows',
    async (_name, shape) => {
      const { exitCode, stdout } = await run(
        'upload',
        fileOf(shape),
        '--year',
        yearOf(shape),
        '--profile',
        `${shape.name}.json`,
        ...local(),
      );

      expect(stdout).toContain(
        `Profile "${shape.name}" put at s3://salary-report-local/config/profiles/${shape.name}.json`,
      );
      expect(stdout).toContain(
        `${shape.key}: ${shape.expected.accepted.toLocaleString('en-US')} rows accepted, ` +
          `${shape.expected.rejected} rejected, ${excludedText(shape.expected)} [profile ${shape.name}]`,
      );
      expect(exitCode).toBe(0);

      // `status` shows the same excluded rows by reason, and the profile, in the file's row.
      const status = await run('status', ...local());
      const row = status.stdout.split('\n').find((line) => line.startsWith(`${shape.key} `));
      expect(status.stdout).toMatch(
        /File\s+Status\s+Accepted\s+Rejected\s+No year\s+Excluded\s+Profile\s/,
      );
      expect(row).toContain(`  ${excludedText(shape.expected).replace(' excluded', '')}  `);
      expect(row).toMatch(new RegExp(`\\s${shape.name}\\s+[\\d ]*\\b${yearOf(shape)}\\b`));
      expect(status.stdout).toContain(
        `"Excluded": rows the upload's profile or pay basis left out, by reason; they count in no report.`,
      );
    },
  );

  it('uses a profile already in the bucket by its name, and refuses a name it does not have', async () => {
    const shape = SHAPES[1] as ShapeFixture;
    const again = await run(
      'upload',
      fileOf(shape),
      '--year',
      yearOf(shape),
      '--profile',
      shape.name,
      ...local(),
    );
    const missing = await run(
      'upload',
      fileOf(shape),
      '--year',
      yearOf(shape),
      '--profile',
      'nobody',
      ...local(),
    );

    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`[profile ${shape.name}]`);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('there is no profile "nobody"');
  });
});

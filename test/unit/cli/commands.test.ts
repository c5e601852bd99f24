import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOptions } from '#cli/commands/sample.ts';
import { localDynamoClient } from '#cli/local/local-aws.ts';
import { LOCAL_RESOURCES } from '#cli/local/local-stack.ts';
import { appendDeadLetter } from '#cli/local/state.ts';
import { generateSurveyRows } from '#cli/sample/survey-generator.ts';
import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { decodePartial } from '#shared/domain/partial-payload.ts';
import type { Report } from '#shared/domain/report/model.ts';
import { encodePack, partialsOfItem } from '#shared/use-cases/ingestion/partials.ts';
import { type LocalStackFixture, startLocalStackFixture } from '#test/e2e/local-stack-fixture.ts';
import { sketchFormatPayload } from '#test/support/sketch-format.ts';
import { runCliCaptured } from './run-cli.ts';

let fixture: LocalStackFixture;
let cwd: string;
const run = (...argv: string[]) => runCliCaptured(argv, cwd);
const local = () => ['--data-dir', fixture.dataDirectory];

beforeAll(async () => {
  fixture = await startLocalStackFixture();
  cwd = fixture.workDirectory;
});

afterAll(async () => {
  await fixture?.stop();
});

describe('salary-report --help', () => {
  it.each([
    [],
    ['start'],
    ['serve'],
    ['sample'],
    ['upload'],
    ['report'],
    ['reingest'],
    ['repair'],
    ['status'],
  ])('explains %s', async (...command) => {
    const { exitCode, stdout } = await run(...command.flat(), '--help');

    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^Usage: salary-report/);
  });

  it('refuses an unknown command', async () => {
    const { exitCode, stderr } = await run('deploy');

    expect(exitCode).toBe(1);
    expect(stderr).toContain("unknown command 'deploy'");
  });
});

describe('salary-report sample', () => {
  it('writes the same file for the same seed, with the Spanish header when asked', async () => {
    const first = await run(
      'sample',
      '--rows',
      '200',
      '--seed',
      '9',
      '--language',
      'es',
      '--out',
      'a.csv',
    );
    await run('sample', '--rows', '200', '--seed', '9', '--language', 'es', '--out', 'b.csv');

    expect(first.exitCode).toBe(0);
    expect(first.stderr).toContain('Wrote 200 Spanish survey rows for 2025');
    const text = readFileSync(join(cwd, 'a.csv'), 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'país,puesto,nivel,años de experiencia,salario,moneda,periodo,año,ciudad,id,tipo de empleo',
    );
    expect(text.trimEnd().split('\r\n')).toHaveLength(201);
    expect(readFileSync(join(cwd, 'b.csv'), 'utf8')).toBe(text);
  });

  it('writes to standard output without --out', async () => {
    const { exitCode, stdout } = await run('sample', '--rows', '3');

    expect(exitCode).toBe(0);
    expect(stdout.split('\r\n')[0]).toMatch(/^country,role,seniority,/);
  });

  it.each([
    [['--rows', 'ten'], '--rows must be a positive whole number'],
    [['--rows', '-5'], '--rows must be a positive whole number'],
    [['--rows', '0'], '--rows must be a positive whole number'],
    [['--rows', '5', '--seed', '4294967296'], '--seed must be at most 4294967295'],
    [['--rows', '5', '--language', 'fr'], 'Allowed choices are en, es'],
    [['--rows', '5', '--bad-rows', '2'], 'must be a number from 0 to 1'],
    [['--rows', '5', '--year', '1999'], 'no exchange rates for 1999'],
    [[], "required option '--rows <n>' not specified"],
  ])('refuses %j', async (argv, message) => {
    const { exitCode, stderr } = await run('sample', ...argv);

    expect(exitCode).toBe(1);
    expect(stderr).toContain(message);
  });
});

describe('salary-report upload, status and report on the local stack', () => {
  const options = {
    rows: 1500,
    seed: 21,
    year: 2025,
    language: 'en' as const,
    badRows: 0.02,
    timestamps: false,
  };

  it('uploads a file, waits for ingestion and prints its counts and rejected rows file', async () => {
    await run(
      'sample',
      '--rows',
      '1500',
      '--seed',
      '21',
      '--bad-rows',
      '0.02',
      '--out',
      'my survey.csv',
    );
    const rows = [...generateSurveyRows(sampleOptions(options))];
    const rejected = rows.filter((row) => row.bad).length;

    const { exitCode, stdout } = await run('upload', 'my survey.csv', '--year', '2025', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toContain('to s3://salary-report-local/uploads/2025/my survey.csv');
    expect(stdout).toContain(
      `uploads/2025/my survey.csv: ${(rows.length - rejected).toLocaleString('en-US')} rows ` +
        `accepted, ${rejected} rejected\n  see them: npx salary-report rejected ` +
        `'uploads/2025/my survey.csv' --data-dir ${fixture.dataDirectory}\n`,
    );
  });

  it('prints the rejected rows of an upload named by its file name', async () => {
    const bad = [...generateSurveyRows(sampleOptions(options))].filter((row) => row.bad);

    const { exitCode, stdout } = await run('rejected', 'my survey.csv', ...local());

    expect(exitCode).toBe(0);
    const [header, ...lines] = stdout.trimEnd().split('\r\n');
    expect(header).toBe('line,column,value,reason,message');
    expect(lines.map((line) => line.split(',')[0])).toEqual(bad.map((row) => String(row.line)));
    expect(lines.map((line) => line.split(',')[3])).toEqual(bad.map((row) => row.bad?.reason));
  });

  it('saves the rejected rows with --out, the upload named by its key', async () => {
    const printed = await run('rejected', 'uploads/2025/my survey.csv', ...local());

    const { exitCode, stderr } = await run(
      'rejected',
      'uploads/2025/my survey.csv',
      '--out',
      'errors.csv',
      ...local(),
    );

    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/^Wrote \d+ rejected rows of uploads\/2025\/my survey\.csv to /);
    // The file is the stored object, with its byte-order mark for spreadsheets; the terminal
    // gets the text without it.
    expect(readFileSync(join(cwd, 'errors.csv'), 'utf8')).toBe(`\uFEFF${printed.stdout}`);
  });

  it('reads the rejected rows from a deployment named by its bucket and table', async () => {
    const { state } = fixture.stack;
    const printed = await run('rejected', 'my survey.csv', ...local());
    const saved = { ...process.env };
    // The local stand-ins play the deployed bucket and table, reached the way AWS is.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: state.s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: state.dynamoEndpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    try {
      const { exitCode, stdout } = await run(
        'rejected',
        'my survey.csv',
        '--bucket',
        state.bucketName,
        '--table',
        state.tableName,
      );

      expect(exitCode).toBe(0);
      expect(stdout).toBe(printed.stdout);
    } finally {
      process.env = saved;
    }
  });

  it('lists the ingestion records, then the dead letters', async () => {
    appendDeadLetter(fixture.dataDirectory, {
      messageId: 'm-1',
      body: JSON.stringify({
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            eventTime: '2026-01-01T00:00:00.000Z',
            s3: {
              bucket: { name: 'salary-report-local' },
              object: { key: 'uploads/2025/broken.csv', sequencer: '0A' },
            },
          },
        ],
      }),
      receiveCount: 5,
      sentAt: Date.parse('2026-01-01T00:00:01.000Z'),
      failedAt: '2026-01-01T00:05:00.000Z',
    });

    const { exitCode, stdout } = await run('status', '--year', '2025', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/uploads\/2025\/my survey\.csv\s+ingested\s+1,47\d\s+\d+\s+0\s+2025/);
    expect(stdout).toContain(
      `Rejected rows of a file: npx salary-report rejected 'uploads/2025/my survey.csv' --data-dir ${fixture.dataDirectory}\n`,
    );
    expect(stdout).toContain('S3 events ingestion gave up on after 5 attempts');
    expect(stdout).toMatch(/2026-01-01T00:05:00.000Z\s+created\s+uploads\/2025\/broken\.csv/);
  });

  it('generates the report and prints the country × role × seniority table', async () => {
    const { exitCode, stdout } = await run('report', '2025', '--country', 'mx', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toMatch(
      /^Salary report 2025, version 1, published \d{1,2} \w{3} \d{4} \d\d:\d\d UTC\n/,
    );
    expect(stdout).toContain('Published version 1, the first for 2025.');
    expect(stdout).toMatch(/Country\s+Role\s+Seniority\s+n\s+Median\s+P25–P75\s+Confidence/);
    expect(stdout).toMatch(
      /MX\s+backend\s+senior\s+\d+\s+\$[\d,]+\s+\$[\d,]+–\$[\d,]+\s+(low|medium|high)/,
    );
    expect(stdout).toMatch(/MX\s+\w+\s+\w+\s+suppressed: fewer than 5 respondents/);
    expect(stdout).not.toMatch(/^US\s/m);
  });

  it('prints the raw report with --json', async () => {
    const { exitCode, stdout, stderr } = await run('report', '2025', '--json', ...local());

    const report = JSON.parse(stdout) as Report;
    expect(exitCode).toBe(0);
    expect(report.year).toBe(2025);
    expect(report.versionNumber).toBe(1);
    expect(report.methodology.files).toBe(1);
    expect(stderr).toBe(
      'Unchanged since version 1 was published: no new data, rules or settings.\n',
    );
  });

  it('publishes nothing when looked at again, and a new version with --regenerate', async () => {
    const again = await run('report', '2025', ...local());
    const forced = await run('report', '2025', '--regenerate', '--json', ...local());
    const after = await run('report', '2025', ...local());

    expect(again.stdout).toContain('Salary report 2025, version 1, published');
    expect(again.stdout).toContain('Unchanged since version 1 was published');
    expect((JSON.parse(forced.stdout) as Report).versionNumber).toBe(2);
    expect(forced.stderr).toContain('Published version 2, regenerated on request.');
    expect(after.stdout).toContain('Unchanged since version 2 was published');
  });

  it('re-ingests a year whose partials are of the sketch format: its report becomes exact', async () => {
    const exact = JSON.parse((await run('report', '2025', '--json', ...local())).stdout) as Report;
    expect(exact.methodology.quantiles.exact).toBe(true);
    const dynamo = localDynamoClient(fixture.stack.state.dynamoEndpoint);
    try {
      await storePartialsAsSketches(dynamo, 2025);
    } finally {
      dynamo.destroy();
    }
    const sketched = await run('report', '2025', '--json', ...local());
    expect(JSON.parse(sketched.stdout).methodology.quantiles).toMatchObject({
      exact: false,
      sketchReason: 'sketch-format-partials',
    });

    const { exitCode, stdout } = await run('reingest', '2025', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toContain('Re-ingesting s3://salary-report-local/uploads/2025/my survey.csv');
    expect(stdout).toMatch(/uploads\/2025\/my survey\.csv: [\d,]+ rows accepted, \d+ rejected/);
    const after = JSON.parse((await run('report', '2025', '--json', ...local())).stdout) as Report;
    expect(after.methodology.quantiles.exact).toBe(true);
    expect(after.cells).toEqual(exact.cells);
  });

  it('has nothing to re-ingest in a year without files', async () => {
    const { exitCode, stdout } = await run('reingest', '2019', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toContain('No ingested files with rows in 2019');
  });

  it('repairs a year whose stored partials were damaged: the report names the file, repair fixes it', async () => {
    const dynamo = localDynamoClient(fixture.stack.state.dynamoEndpoint);
    try {
      await deleteOnePartial(dynamo, 2025);
    } finally {
      dynamo.destroy();
    }
    const broken = await run('report', '2025', ...local());
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('uploads/2025/my survey.csv (sequencer');
    expect(broken.stderr).toContain('run `salary-report repair 2025`');

    const { exitCode, stdout } = await run('repair', '2025', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toContain(
      'uploads/2025/my survey.csv: partials were missing: ingested again from its object',
    );
    expect(stdout).toMatch(/2025 reads consistently: 1 files, [\d,]+ accepted rows, \d+ cells/);
    expect((await run('report', '2025', ...local())).exitCode).toBe(0);
    const again = await run('repair', '2025', ...local());
    expect(again.stdout).toContain('uploads/2025/my survey.csv: consistent, unchanged');
  });

  it('says why a year without data has no report', async () => {
    const { exitCode, stderr } = await run('report', '2024', ...local());

    expect(exitCode).toBe(1);
    expect(stderr).toContain('the report for 2024 was not generated: no accepted survey rows');
  });

  it.each([
    [['upload', 'missing.csv'], 'cannot read'],
    [['upload', 'a.txt'], 'cannot read'],
    [['report', '20x5'], 'year must be a whole number'],
    [['report', '1990'], 'year must be a whole year from 2000 to'],
    [['status', '--year', '3000'], '--year must be a whole year from 2000 to'],
  ])('refuses %j', async (argv, message) => {
    const { exitCode, stderr } = await run(...argv, ...local());

    expect(exitCode).toBe(1);
    expect(stderr).toContain(message);
  });

  it.each([
    ['country', 'XX', '/reports/2025?country=XX'],
    ['role', 'wizard', '/reports/2025?role=wizard'],
    ['seniority', 'senior,guru', '/reports/2025?seniority=senior,guru'],
  ])(
    'refuses --%s %s with the message of the API’s 400, before generating',
    async (name, value, path) => {
      const before = await fetch(`${fixture.stack.state.apiUrl}/reports`).then((r) => r.text());
      const answer = await fetch(`${fixture.stack.state.apiUrl}${path}`);
      const problem = (await answer.json()) as { detail: string };

      const { exitCode, stderr } = await run('report', '2025', `--${name}`, value, ...local());

      expect(answer.status).toBe(400);
      expect(exitCode).toBe(1);
      expect(stderr).toBe(`salary-report: ${problem.detail}\n`);
      expect(await fetch(`${fixture.stack.state.apiUrl}/reports`).then((r) => r.text())).toBe(
        before,
      );
    },
  );

  it('filters by several countries and seniorities, as the API does', async () => {
    const { exitCode, stdout } = await run(
      'report',
      '2025',
      '--country',
      'mx,us',
      '--seniority',
      'senior',
      ...local(),
    );

    expect(exitCode).toBe(0);
    const rows = stdout.split('\n').filter((line) => /^(MX|US|AR|BR|CA)\s/.test(line));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((line) => /^(MX|US)\s+\w+\s+senior\s/.test(line))).toBe(true);
  });

  it('refuses an upload year outside the accepted range before uploading anything', async () => {
    await run('sample', '--rows', '20', '--out', 'old.csv');

    const { exitCode, stderr } = await run('upload', 'old.csv', '--year', '1990', ...local());
    const status = await run('status', ...local());

    expect(exitCode).toBe(1);
    expect(stderr).toContain(
      `--year must be a whole year from 2000 to ${new Date().getUTCFullYear()}`,
    );
    expect(status.stdout).not.toContain('old.csv');
  });

  it('says "1 row" of a file with one row', async () => {
    await run('sample', '--rows', '1', '--bad-rows', '0', '--out', 'one.csv');

    const { exitCode, stdout } = await run('upload', 'one.csv', '--year', '2024', ...local());
    const rejected = await run('rejected', 'one.csv', ...local());

    expect(exitCode).toBe(0);
    expect(stdout).toContain('uploads/2024/one.csv: 1 row accepted, 0 rejected\n');
    expect(stdout).not.toContain('see them');
    expect(rejected.stdout).toBe('uploads/2024/one.csv: no rejected rows.\n');
  });

  it('asks for the key when several uploads share a file name, and names an unknown one', async () => {
    await run('sample', '--rows', '30', '--year', '2024', '--out', 'twice.csv');
    await run('upload', 'twice.csv', '--year', '2023', ...local());
    await run('upload', 'twice.csv', '--year', '2024', ...local());

    const twice = await run('rejected', 'twice.csv', ...local());
    const unknown = await run('rejected', 'nowhere.csv', ...local());

    expect(twice.exitCode).toBe(1);
    expect(twice.stderr).toContain(
      '2 uploads are named twice.csv: uploads/2023/twice.csv, uploads/2024/twice.csv; name one by its key',
    );
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('no upload named nowhere.csv on the local stack');
  });

  it('refuses a file that is not a CSV', async () => {
    await run('sample', '--rows', '1', '--out', 'notes.txt');

    const { exitCode, stderr } = await run('upload', 'notes.txt', ...local());

    expect(exitCode).toBe(1);
    expect(stderr).toContain('notes.txt: only .csv files are ingested');
  });
});

describe('commands without a reachable stack', () => {
  it('tell how to start the local stack', async () => {
    const { exitCode, stderr } = await run('status', '--data-dir', 'nowhere');

    expect(exitCode).toBe(1);
    expect(stderr).toContain('no local stack is running on');
    expect(stderr).toContain('start one with `npm start`');
  });

  it('report an unreachable CloudFormation endpoint for --stack', async () => {
    const closedPort = await freePort();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${closedPort}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    try {
      const { exitCode, stderr } = await run('status', '--stack', 'SalaryReport-dev');

      expect(exitCode).toBe(1);
      expect(stderr).toContain(
        'could not read the outputs of SalaryReport-dev-Stateful and SalaryReport-dev-Stateless',
      );
      expect(stderr).toContain('ECONNREFUSED');
    } finally {
      process.env = saved;
    }
  });

  it('names the flag a deployed command is missing', async () => {
    const { exitCode, stderr } = await run('report', '2025', '--bucket', 'my-bucket');

    expect(exitCode).toBe(1);
    expect(stderr).toContain('generating a report needs --function <name> (or --stack <name>)');
  });

  it('refuses an API URL that is not one', async () => {
    const { exitCode, stderr } = await run('status', '--api-url', 'localhost:3000');

    expect(exitCode).toBe(1);
    expect(stderr).toContain('--api-url must be an http(s) URL');
  });
});

describe('salary-report serve', () => {
  it('says which port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { exitCode, stderr } = await run(
        'serve',
        '--port',
        String(port),
        '--data-dir',
        'other',
      );

      expect(exitCode).toBe(1);
      expect(stderr).toContain(`port ${port} is in use`);
    } finally {
      await close(blocker);
    }
  });

  it('refuses a data directory another local stack is using', async () => {
    const { exitCode, stderr } = await run('serve', '--port', '0', ...local());

    expect(exitCode).toBe(1);
    expect(stderr).toContain('a local stack is already running on');
  });

  it('serves the page and the API, then stops when interrupted', async () => {
    const { exitCode, stdout } = await run('serve', '--port', '0', '--data-dir', 'served');

    expect(exitCode).toBe(0);
    expect(stdout).toContain('No report published yet');
    expect(stdout).toMatch(/Report page {3}http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout).toMatch(/Stopped\.\n$/);
  });
});

describe('salary-report serve --dynamodb-endpoint', () => {
  let external: Server;
  let endpoint: string;

  beforeAll(async () => {
    external = dynalite({ createTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((resolve) => external.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(external.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await close(external);
  });

  it('keeps the table on the given DynamoDB, creating it there, and says so', async () => {
    const { exitCode, stdout } = await run(
      'serve',
      '--port',
      '0',
      '--data-dir',
      'external',
      '--dynamodb-endpoint',
      endpoint,
    );

    expect(exitCode).toBe(0);
    expect(stdout).toContain(`DynamoDB      ${endpoint} (external, table salary-report-local)`);
    const dynamo = localDynamoClient(endpoint);
    try {
      const { Table } = await dynamo.send(
        new DescribeTableCommand({ TableName: LOCAL_RESOURCES.tableName }),
      );
      expect(Table?.TableStatus).toBe('ACTIVE');
    } finally {
      dynamo.destroy();
    }
  });

  it('says when the DynamoDB it was given cannot be reached', async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const { exitCode, stderr } = await run(
      'start',
      '--port',
      '0',
      '--data-dir',
      'unreachable',
      '--dynamodb-endpoint',
      unreachable,
    );

    expect(exitCode).toBe(1);
    expect(stderr).toContain(`could not use the DynamoDB at ${unreachable}`);
  });

  it('refuses an endpoint that is not a URL', async () => {
    const { exitCode, stderr } = await run('start', '--dynamodb-endpoint', 'localhost:8000');

    expect(exitCode).toBe(1);
    expect(stderr).toContain('--dynamodb-endpoint must be an http(s) URL');
  });
});

/** Deletes one partial item of the year, as damage from outside the protocol would. */
async function deleteOnePartial(dynamo: DynamoDBClient, year: number): Promise<void> {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: LOCAL_RESOURCES.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :part)',
      ExpressionAttributeValues: { ':pk': { S: `YEAR#${year}` }, ':part': { S: 'PART#' } },
      ConsistentRead: true,
    }),
  );
  const [victim] = Items ?? [];
  if (!victim?.PK || !victim.SK) throw new Error(`no partial stored in ${year}`);
  await dynamo.send(
    new DeleteItemCommand({
      TableName: LOCAL_RESOURCES.tableName,
      Key: { PK: victim.PK, SK: victim.SK },
    }),
  );
}

/**
 * Rewrites every partial payload of the year as ingestion stored it before exact values (one
 * sketch-format payload per cell, same keys and items), as a table written by that version holds
 * them.
 */
async function storePartialsAsSketches(dynamo: DynamoDBClient, year: number): Promise<void> {
  const store = new DynamoConditionalStore(dynamo, LOCAL_RESOURCES.tableName);
  const rewritten = [];
  for await (const item of store.query(`YEAR#${year}`, 'PART#')) {
    const sketches = partialsOfItem(year, item).map(({ cell, part, payload }) => {
      const { aggregate } = decodePartial(year, cell, [payload]);
      return { cell, part, payload: sketchFormatPayload([...aggregate.sortedCents()]) };
    });
    rewritten.push({
      key: { partition: item.partition, sort: item.sort },
      attributes:
        'pack' in item.attributes
          ? { pack: encodePack(sketches) }
          : { ...item.attributes, payload: sketches[0]?.payload ?? new Uint8Array() },
    });
  }
  if (rewritten.length === 0) throw new Error(`no partial stored in ${year}`);
  await store.putAll(rewritten);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await close(server);
  return port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

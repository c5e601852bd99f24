import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SAMPLE_SURVEY_YEAR } from '#cli/sample/population.ts';
import { previousYear, surveyYearProblem } from '#shared/domain/report/years.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import type { SampleCommandOptions } from './commands/sample.ts';
import { CliError } from './errors.ts';
import type { CliIo } from './io.ts';
import { DEFAULT_API_PORT, DEFAULT_DATA_DIR } from './local/state.ts';
import type { TargetOptions } from './target.ts';

/** Exit code of an unexpected failure (a bug), as sysexits' EX_SOFTWARE. */
const EXIT_BUG = 70;

/**
 * Runs one command line (without `node` and the script) and returns the exit code. Usage errors
 * and `CliError`s print one line to stderr; anything else is a bug and prints its stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      io.stderr(`salary-report: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`salary-report: unexpected error\n${(error as Error).stack ?? String(error)}\n`);
    return EXIT_BUG;
  }
}

export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('salary-report')
    .description(
      'Run the salary report pipeline locally, or use a deployed one: generate sample surveys, ' +
        'upload CSV files, generate and read reports.\nEvery command works on the local stack ' +
        '(`npm start`) unless --stack, --bucket, --table, --function or --api-url names a deployment.',
    )
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false);

  program
    .command('start')
    .description(
      'start the pipeline locally; on first start ingest a sample survey and generate its report',
    )
    .addOption(portOption())
    .addOption(dataDirOption())
    .addOption(dynamoEndpointOption())
    .option('--no-sample', 'do not ingest a sample survey on first start')
    .action(
      async (options: {
        port: number;
        dataDir: string;
        sample: boolean;
        dynamodbEndpoint?: string;
      }) => {
        const { serveCommand } = await import('./commands/serve.ts');
        await serveCommand(options, io);
      },
    );

  program
    .command('serve')
    .description('serve the local API and report page on the existing local data (no sample)')
    .addOption(portOption())
    .addOption(dataDirOption())
    .addOption(dynamoEndpointOption())
    .action(async (options: { port: number; dataDir: string; dynamodbEndpoint?: string }) => {
      const { serveCommand } = await import('./commands/serve.ts');
      await serveCommand({ ...options, sample: false }, io);
    });

  program
    .command('sample')
    .description('write a deterministic synthetic survey CSV (realistic pay, a few bad rows)')
    .requiredOption('--rows <n>', 'number of respondents', positiveWholeNumber('--rows'))
    .option('--seed <n>', 'random seed, 0 to 4294967295 (same seed, same file)', seedNumber, 1)
    .option('--year <year>', 'survey year', wholeNumber('--year'), SAMPLE_SURVEY_YEAR)
    .addOption(
      new Option('--language <language>', 'header and spellings')
        .choices(['en', 'es'])
        .default('en'),
    )
    .option('--bad-rows <share>', 'share of deliberately invalid rows, 0 to 1', share, 0.01)
    .option('--timestamps', "state each row's year as a submission timestamp", false)
    .option('--out <file>', 'write here instead of standard output')
    .action(async (options: SampleCommandOptions) => {
      const { sampleCommand } = await import('./commands/sample.ts');
      await sampleCommand(options, io);
    });

  addTargetOptions(
    program
      .command('upload')
      .description(
        'upload CSV files under uploads/<year>/, wait for ingestion, print accepted/rejected rows',
      )
      .argument('<files...>', 'CSV files')
      .option(
        '--year <year>',
        'survey year of the files (their key prefix; rows may state their own)',
        surveyYear('--year'),
        previousYear(new Date()),
      )
      .option(
        '--profile <file.json|name>',
        'read the files through this mapping profile (docs/profiles.md): a file is put at config/profiles/<name>.json when new or changed; a name must be in the bucket',
      )
      .option(
        '--profile-name <name>',
        "the profile file's name in the bucket (default: its file name)",
      )
      .option('--no-wait', 'do not wait for ingestion')
      .option(
        '--timeout <seconds>',
        'how long to wait for each file',
        positiveWholeNumber('--timeout'),
        300,
      ),
  ).action(
    async (
      files: string[],
      options: TargetOptions & {
        year: number;
        wait: boolean;
        timeout: number;
        profile?: string;
        profileName?: string;
      },
    ) => {
      const { uploadCommand } = await import('./commands/upload.ts');
      setExitCode(await uploadCommand(files, options, await target(options, io), io));
    },
  );

  const profile = program
    .command('profile')
    .description('draft and check mapping profiles (docs/profiles.md), locally, with no stack');
  profile
    .command('suggest')
    .description(
      'print a draft profile for a CSV from its header and first 1,000 rows (notes on stderr)',
    )
    .argument('<file>', 'CSV file')
    .action(async (file: string) => {
      const { profileSuggestCommand } = await import('./commands/profile.ts');
      setExitCode(await profileSuggestCommand(file, io));
    });
  profile
    .command('check')
    .description(
      'run the whole normalization of a CSV through a profile, locally: accepted, excluded and rejected rows by reason',
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--profile <file.json>', 'the profile to check')
    .option('--profile-name <name>', 'the name it will have in the bucket (default: its file name)')
    .option(
      '--year <year>',
      'the survey year its upload key would say (rows may state their own)',
      wholeNumber('--year'),
      previousYear(new Date()),
    )
    .action(
      async (file: string, options: { profile: string; profileName?: string; year: number }) => {
        const { profileCheckCommand } = await import('./commands/profile.ts');
        setExitCode(await profileCheckCommand(file, options, io));
      },
    );

  addTargetOptions(
    program
      .command('report')
      .description(
        "print the year's published report as a table (or --json); a new version is published " +
          "first only when the year's data, rules or settings changed since the current one",
      )
      .argument('<year>', 'survey year', surveyYear('year'))
      .option('--json', 'print the raw report JSON', false)
      .option('--regenerate', 'publish a new version even if nothing changed', false)
      .option('--country <codes>', 'only these countries (ISO codes: MX or MX,US)')
      .option('--role <roles>', `only these roles (${ROLES.join(', ')})`)
      .option('--seniority <levels>', `only these seniorities (${SENIORITIES.join(', ')})`),
  ).action(
    async (
      year: number,
      options: TargetOptions & {
        json: boolean;
        regenerate: boolean;
        country?: string;
        role?: string;
        seniority?: string;
      },
    ) => {
      const { reportCommand } = await import('./commands/report.ts');
      await reportCommand(year, options, await target(options, io), io);
    },
  );

  addTargetOptions(
    program
      .command('reingest')
      .description(
        "ingest again every file with rows in <year> (stored partials to exact values; today's rules)",
      )
      .argument('<year>', 'survey year', surveyYear('year'))
      .option('--no-wait', 'do not wait for ingestion')
      .option(
        '--timeout <seconds>',
        'how long to wait for each file',
        positiveWholeNumber('--timeout'),
        300,
      ),
  ).action(async (year: number, options: TargetOptions & { wait: boolean; timeout: number }) => {
    const { reingestCommand } = await import('./commands/reingest.ts');
    setExitCode(await reingestCommand(year, options, await target(options, io), io));
  });

  addTargetOptions(
    program
      .command('repair')
      .description(
        "re-derive <year>'s pointers from the ingestion records, ingest again files whose stored partials are missing, and check the year reads",
      )
      .argument('<year>', 'survey year', wholeNumber('year')),
  ).action(async (year: number, options: TargetOptions) => {
    const { repairCommand } = await import('./commands/repair.ts');
    setExitCode(await repairCommand(year, await target(options, io), io));
  });

  addTargetOptions(
    program
      .command('rejected')
      .description(
        'print the rejected rows of an upload (its errors CSV: line, column, value, reason, message), or save them with --out',
      )
      .argument('<upload>', 'the upload: its key (uploads/2025/survey.csv) or its file name')
      .option('--out <file>', 'write the CSV here instead of standard output'),
  ).action(async (upload: string, options: TargetOptions & { out?: string }) => {
    const { rejectedCommand } = await import('./commands/rejected.ts');
    await rejectedCommand(upload, options, await target(options, io), io);
  });

  addTargetOptions(
    program
      .command('status')
      .description('list the ingestion record of each uploaded file (and local dead letters)')
      .option('--year <year>', 'only files with rows of this year', surveyYear('--year')),
  ).action(async (options: TargetOptions & { year?: number }) => {
    const { statusCommand } = await import('./commands/status.ts');
    await statusCommand(options.year, await target(options, io), io);
  });

  return program;
}

/**
 * The stack a command talks to. Commands and their SDK clients load only when a command runs, so
 * `--help` and usage errors answer at once.
 */
async function target(options: TargetOptions, io: CliIo) {
  const { resolveTarget } = await import('./target.ts');
  return resolveTarget(options, io.cwd);
}

function addTargetOptions(command: Command): Command {
  return command
    .option('--stack <name>', 'a deployed stage, e.g. SalaryReport-dev (reads its stack outputs)')
    .option('--bucket <name>', 'a deployed data bucket')
    .option('--table <name>', 'a deployed table (ingestion records)')
    .option('--function <name>', 'a deployed generate-report function')
    .option('--api-url <url>', 'a deployed API base URL')
    .option('--region <region>', 'AWS region (default: your AWS configuration)')
    .addOption(dataDirOption());
}

function portOption(): Option {
  return new Option('--port <port>', 'API port on 127.0.0.1 (0 picks a free one)')
    .argParser(portNumber)
    .default(DEFAULT_API_PORT);
}

function dynamoEndpointOption(): Option {
  return new Option(
    '--dynamodb-endpoint <url>',
    'use this DynamoDB (DynamoDB Local, a fault proxy, a tunnel) instead of the in-process one',
  ).argParser(httpUrl('--dynamodb-endpoint'));
}

function httpUrl(name: string) {
  return (text: string): string => {
    try {
      const url = new URL(text);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href.replace(/\/$/, '');
    } catch {
      // reported below
    }
    throw new InvalidArgumentError(`${name} must be an http(s) URL.`);
  };
}

function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'local mode data directory').default(DEFAULT_DATA_DIR);
}

function wholeNumber(name: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return Number(text);
  };
}

function positiveWholeNumber(name: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) === 0) {
      throw new InvalidArgumentError(`${name} must be a positive whole number.`);
    }
    return Number(text);
  };
}

/** A year uploads and reports accept (the API's rule), checked before anything is sent. */
function surveyYear(name: string) {
  return (text: string): number => {
    const year = wholeNumber(name)(text);
    const problem = surveyYearProblem(year, new Date());
    if (problem) throw new InvalidArgumentError(`${name} ${problem}.`);
    return year;
  };
}

function seedNumber(text: string): number {
  const seed = wholeNumber('--seed')(text);
  if (seed > 0xffff_ffff) throw new InvalidArgumentError('--seed must be at most 4294967295.');
  return seed;
}

function portNumber(text: string): number {
  const port = wholeNumber('--port')(text);
  if (port > 65_535) throw new InvalidArgumentError('--port must be from 0 to 65535.');
  return port;
}

function share(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError('must be a number from 0 to 1.');
  }
  return value;
}

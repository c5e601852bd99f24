import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { uploadKey } from '#shared/bucket-layout.ts';
import { readCsv } from '#shared/domain/csv/read-csv.ts';
import { isProfileName, type MappingProfile, parseProfile } from '#shared/domain/profile.ts';
import { SUGGEST_ROWS, suggestProfile } from '#shared/domain/profile-suggest.ts';
import { DEFAULT_RULES, type NormalizationRules } from '#shared/domain/rules/index.ts';
import type { RowRejection } from '#shared/domain/submission.ts';
import { aggregateCsv } from '#shared/domain/survey-file.ts';
import { FileRejectedError, ProfileError } from '#shared/errors.ts';
import { CliError, reasonOf } from '../errors.ts';
import { count } from '../format.ts';
import type { CliIo } from '../io.ts';

/** Examples printed per reason by `profile check`. */
const EXAMPLES_PER_REASON = 3;

/** A local profile file: its name (from `--profile-name` or the file name) and text. */
export interface LocalProfile {
  name: string;
  path: string;
  text: string;
}

/** Reads a profile file given on the command line; its name is the file name without `.json`. */
export function readLocalProfile(path: string, name?: string): LocalProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the profile ${path}: ${reasonOf(error)}`);
  }
  const profileName = name ?? basename(path).replace(/\.json$/i, '');
  if (!isProfileName(profileName)) {
    throw new CliError(
      `"${profileName}" cannot be a profile name (letters, digits, ".", "_", "-"): pass --profile-name`,
    );
  }
  return { name: profileName, path, text };
}

/** Validates a local profile against the rules, as ingestion will; errors name file, line, field. */
export function validateLocalProfile(
  profile: LocalProfile,
  rules: NormalizationRules,
): MappingProfile {
  try {
    return parseProfile(profile.name, profile.path, profile.text, rules);
  } catch (error) {
    if (error instanceof ProfileError) throw new CliError(error.message);
    throw error;
  }
}

function checkedCsv(io: CliIo, file: string): string {
  const path = resolve(io.cwd, file);
  try {
    if (!statSync(path).isFile()) throw new CliError(`${path} is not a file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${reasonOf(error)}`);
  }
  return path;
}

/** Stops reading a file once enough rows were seen. */
class EnoughRows extends Error {}

/**
 * `profile suggest <file>`: reads the header and the first rows (encoding and delimiter detected
 * as ingestion does) and prints a draft profile on stdout, with what it recognized and what is
 * left to decide on stderr, so `> draft.json` keeps only the JSON.
 */
export async function profileSuggestCommand(file: string, io: CliIo): Promise<number> {
  const path = checkedCsv(io, file);
  let header: readonly string[] = [];
  let rows: string[][] = [];
  try {
    await readCsv(path, () => createReadStream(path), {
      onStart: () => {
        header = [];
        rows = [];
      },
      onHeader: (fields) => {
        header = [...fields];
      },
      onRecord: (fields) => {
        rows.push([...fields]);
        if (rows.length >= SUGGEST_ROWS) throw new EnoughRows();
      },
    });
  } catch (error) {
    if (error instanceof FileRejectedError) throw new CliError(error.message);
    if (!(error instanceof EnoughRows)) throw error;
  }
  const { profile, notes, todo } = suggestProfile(header, rows, DEFAULT_RULES);
  const draft = todo.length > 0 ? { ...profile, _todo: todo } : profile;
  io.stdout(`${JSON.stringify(draft, null, 2)}\n`);
  io.stderr(
    [
      `Read the header and ${count(rows.length)} row(s) of ${path}.`,
      'Recognized:',
      ...notes.map((note) => `  ${note}`),
      ...(todo.length > 0
        ? ['To decide (listed under "_todo" in the draft; delete it when done):']
        : ['Nothing left to decide: check it with `salary-report profile check`.']),
      ...todo.map((item) => `  ${item}`),
      '',
    ].join('\n'),
  );
  return 0;
}

export interface ProfileCheckOptions {
  profile: string;
  profileName?: string;
  year: number;
}

/**
 * `profile check <file> --profile p.json`: the whole normalization on this machine, no upload and
 * no stack (the shipped rules; the bucket's overrides are not read): accepted, excluded and
 * rejected rows by reason, with the first examples of each. Exit 1 when the file as a whole
 * would be rejected.
 */
export async function profileCheckCommand(
  file: string,
  options: ProfileCheckOptions,
  io: CliIo,
): Promise<number> {
  const path = checkedCsv(io, file);
  const local = readLocalProfile(resolve(io.cwd, options.profile), options.profileName);
  const profile = validateLocalProfile(local, DEFAULT_RULES);
  const key = uploadKey(options.year, basename(path));
  const rejected = new Map<string, { count: number; examples: RowRejection[] }>();
  const excludedLines = new Map<string, number[]>();
  try {
    const { aggregation } = await aggregateCsv({
      fileName: key,
      open: async () => createReadStream(path),
      rules: DEFAULT_RULES,
      yearFromKey: options.year,
      latestYear: new Date().getUTCFullYear(),
      profile,
      rejections: {
        add(rejection) {
          const entry = rejected.get(rejection.reason) ?? { count: 0, examples: [] };
          entry.count += 1;
          if (entry.examples.length < EXAMPLES_PER_REASON) entry.examples.push(rejection);
          rejected.set(rejection.reason, entry);
        },
        reset() {
          rejected.clear();
          excludedLines.clear();
        },
      },
      onExcluded(reason, line) {
        const lines = excludedLines.get(reason) ?? [];
        if (lines.length < EXAMPLES_PER_REASON) lines.push(line);
        excludedLines.set(reason, lines);
      },
    });
    const out: string[] = [
      `${path} as ${key}, through the profile "${profile.name}" (${profile.fingerprint}):`,
      `  accepted: ${count(aggregation.accepted)} row(s) in ${count(aggregation.cells.size)} cell(s)`,
      `  excluded: ${count(aggregation.excludedTotal)} row(s)`,
    ];
    for (const [reason, total] of Object.entries(aggregation.excluded).sort(
      (a, b) => b[1] - a[1],
    )) {
      const lines = excludedLines.get(reason) ?? [];
      out.push(
        `    ${reason}: ${count(total)} (lines ${lines.join(', ')}${total > lines.length ? ', …' : ''})`,
      );
    }
    out.push(`  rejected: ${count(aggregation.rejected)} row(s)`);
    for (const [reason, entry] of [...rejected.entries()].sort((a, b) => b[1].count - a[1].count)) {
      out.push(`    ${reason}: ${count(entry.count)}`);
      for (const example of entry.examples) {
        out.push(`      line ${example.line}, ${example.column}: ${example.message}`);
      }
    }
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof FileRejectedError) {
      io.stdout(`the whole file would be rejected: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

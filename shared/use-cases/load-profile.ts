import { profileKey } from '../bucket-layout.ts';
import {
  isProfileName,
  type MappingProfile,
  PROFILE_METADATA_KEY,
  parseProfile,
} from '../domain/profile.ts';
import type { NormalizationRules } from '../domain/rules/index.ts';
import { FileRejectedError, ProfileError } from '../errors.ts';
import type { ObjectStore, ObjectVersion } from '../ports/object-store.ts';

/**
 * The mapping profile an upload names, if any.
 *
 * Input: the exact object version being ingested and its user metadata (from the `GetObject`
 * that reads it). Output: the validated profile, or undefined when the metadata names none.
 * Steps: 1. take the metadata's `profile`; 2. check the name; 3. read
 * `config/profiles/<name>.json`; 4. validate it against the rules in force. A bad name, a missing file or an invalid profile throws FileRejectedError
 * naming the profile and the problem (file, line, field), with the profile's name in its context.
 */
export async function loadUploadProfile(
  version: ObjectVersion,
  metadata: Readonly<Record<string, string>>,
  objects: ObjectStore,
  rules: NormalizationRules,
): Promise<MappingProfile | undefined> {
  const name = metadata[PROFILE_METADATA_KEY]?.trim();
  if (name === undefined || name === '') return undefined;
  const reject = (message: string, context: Record<string, unknown> = {}): never => {
    throw new FileRejectedError(`${version.key}: ${message}`, {
      fileName: version.key,
      profile: name,
      ...context,
    });
  };
  if (!isProfileName(name)) {
    reject(
      `the upload names the profile "${name}", which is not a profile name (letters, digits, ".", "_", "-")`,
    );
  }
  const key = profileKey(name);
  const text = await objects.readText(key);
  if (text === undefined) {
    return reject(`the upload names the profile "${name}", but ${key} does not exist`);
  }
  try {
    return parseProfile(name, key, text, rules);
  } catch (error) {
    if (error instanceof ProfileError) return reject(error.message, error.context);
    throw error;
  }
}

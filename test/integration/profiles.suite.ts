import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { profileKey } from '#shared/bucket-layout.ts';
import { DEFAULT_RULES, rulesFingerprint } from '#shared/domain/rules/index.ts';
import { type DynamoBackend, IngestHarness } from '../support/ingest-harness.ts';
import {
  hrisShape,
  kaggleShape,
  type ShapeFixture,
  stackOverflowShape,
  sysarmyShape,
} from '../support/profile-shapes.ts';

const SHAPES: readonly ShapeFixture[] = [
  kaggleShape(),
  sysarmyShape(),
  stackOverflowShape(),
  hrisShape(),
];

/** The years a shape's expected cells fall in. */
function yearsOf(shape: ShapeFixture): number[] {
  return [...new Set([...shape.expected.cells.keys()].map((id) => Number(id.split('#')[0])))];
}

/**
 * Public salary exports as they are published, through the real handler with the profile their
 * upload names (user metadata `profile`): the exact cells, the rejected and excluded counts, the
 * profile recorded next to the rules' fingerprint, and whole-file rejections for a profile that is
 * missing or invalid.
 */
export function defineProfilesSuite(backend: DynamoBackend): void {
  describe(`uploads read through mapping profiles (ingest-upload on ${backend})`, () => {
    let harness: IngestHarness;

    beforeAll(async () => {
      harness = await IngestHarness.start(backend);
    });
    afterAll(async () => {
      await harness?.stop();
    });
    beforeEach(async () => {
      for (const key of await harness.objects.listKeys('uploads/')) {
        await harness.deliver([await harness.remove(key)]);
      }
    });

    async function putProfile(name: string, text: string): Promise<void> {
      await harness.put(profileKey(name), text);
    }

    it.each(SHAPES.map((shape) => [shape.name, shape] as const))(
      'ingests the %s shape into exactly the expected cells, counting excluded rows',
      async (_name, shape) => {
        await putProfile(shape.name, JSON.stringify(shape.profile, null, 2));
        const event = await harness.put(shape.key, shape.csv, { profile: shape.name });

        expect((await harness.deliver([event])).batchItemFailures).toEqual([]);

        const cells = new Map();
        for (const year of yearsOf(shape)) {
          for (const [id, totals] of await harness.cellTotals(year)) cells.set(id, totals);
        }
        expect(cells).toEqual(shape.expected.cells);
        const record = await harness.store.getRecord(shape.key);
        expect(record).toMatchObject({
          status: 'ingested',
          accepted: shape.expected.accepted,
          rejected: shape.expected.rejected,
          rejectedByReason: shape.expected.rejectedByReason,
          excluded: shape.expected.excluded,
          profile: shape.name,
          rulesFingerprint: rulesFingerprint(DEFAULT_RULES),
        });
        expect(record?.profileFingerprint).toMatch(/^[0-9a-f]{16}$/);
      },
    );

    it('reads an upload with one GetObject: the profile it names and its rows from the same response', async () => {
      const shape = SHAPES[0] as ShapeFixture;
      await putProfile(shape.name, JSON.stringify(shape.profile));
      const event = await harness.put(shape.key, shape.csv, { profile: shape.name });
      const reads: string[] = [];
      harness.aws.s3.middlewareStack.add(
        (next, context) => async (args) => {
          const { Key } = args.input as { Key?: string };
          if (context.commandName !== 'PutObjectCommand')
            reads.push(`${context.commandName} ${Key}`);
          return next(args);
        },
        { step: 'initialize', name: 'recordReads' },
      );
      try {
        expect((await harness.deliver([event])).batchItemFailures).toEqual([]);
      } finally {
        harness.aws.s3.middlewareStack.remove('recordReads');
      }

      expect(reads.filter((read) => read.includes(shape.key))).toEqual([
        `GetObjectCommand ${shape.key}`,
      ]);
      expect(reads).toContain(`GetObjectCommand ${profileKey(shape.name)}`);
      expect(await harness.store.getRecord(shape.key)).toMatchObject({
        status: 'ingested',
        accepted: shape.expected.accepted,
        profile: shape.name,
      });
    });

    it('rejects the whole file when its profile does not exist, naming it', async () => {
      const shape = SHAPES[0] as ShapeFixture;
      const key = 'uploads/2024/no-such-profile.csv';
      const event = await harness.put(key, shape.csv, { profile: 'nowhere' });

      await harness.deliver([event]);

      expect(await harness.store.getRecord(key)).toMatchObject({
        status: 'rejected',
        accepted: 0,
        profile: 'nowhere',
        message:
          'uploads/2024/no-such-profile.csv: the upload names the profile "nowhere", but config/profiles/nowhere.json does not exist',
      });
    });

    it('rejects the whole file when its profile is invalid, naming the file, line and field', async () => {
      const shape = SHAPES[1] as ShapeFixture;
      await putProfile(
        'broken',
        '{\n  "columns": { "role": "Trabajo de" },\n  "constants": { "country": "Atlantis" }\n}\n',
      );
      const key = 'uploads/2022/broken-profile.csv';
      const event = await harness.put(key, shape.csv, { profile: 'broken' });

      await harness.deliver([event]);

      const record = await harness.store.getRecord(key);
      expect(record).toMatchObject({ status: 'rejected', profile: 'broken' });
      expect(record?.message).toBe(
        `${key}: profile "broken" (config/profiles/broken.json): line 3, constants.country: "Atlantis" is not a known country`,
      );
      expect(await harness.cellTotals(2022)).toEqual(new Map());
    });

    it('forgets the profile when the same key is uploaded again without one', async () => {
      const shape = SHAPES[0] as ShapeFixture;
      await putProfile(shape.name, JSON.stringify(shape.profile));
      await harness.deliver([await harness.put(shape.key, shape.csv, { profile: shape.name })]);

      await harness.deliver([await harness.put(shape.key, shape.csv)]);

      const record = await harness.store.getRecord(shape.key);
      expect(record?.status).toBe('rejected');
      expect(record?.message).toMatch(/missing required column\(s\) .*period/);
      expect(record?.profile).toBeUndefined();
      expect(record?.excluded).toBeUndefined();
      expect(await harness.cellTotals(2024)).toEqual(new Map());
    });
  });
}

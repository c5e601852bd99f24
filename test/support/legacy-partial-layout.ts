import type { PartialLayout } from '#shared/use-cases/ingestion/partials.ts';

/**
 * The partial item layout ingestion wrote before packed items (until 2 December 2026): one item
 * per payload, `PART#<fileId>#<sequencer>#<runId>#<cell>#<part>`, attribute `payload`, and the
 * pointer counting those items. Tests write it through the real protocol and store to prove that
 * tables holding such items still read, publish, repair and report the same.
 */
export const ITEM_PER_PAYLOAD_LAYOUT: PartialLayout = {
  itemsOf(fileId, run, partials) {
    return partials.map((partial) => ({
      key: {
        partition: `YEAR#${partial.year}`,
        sort: `PART#${fileId}#${run.sequencer}#${run.runId}#${partial.cell}#${partial.part}`,
      },
      attributes: { payload: partial.payload },
    }));
  },
  itemsPerYear(partials) {
    const counts = new Map<number, number>();
    for (const { year } of partials) counts.set(year, (counts.get(year) ?? 0) + 1);
    return counts;
  },
};

/**
 * One published sum: the parent cell's respondents (and pay) are exactly the sum of its children's.
 * Indexes point into the report's cell list, children in report order.
 */
export interface CellGrouping {
  parent: number;
  children: readonly number[];
}

/**
 * Which cells to suppress: primary suppression (fewer than `minRespondents`) plus complementary
 * suppression, so that no suppressed cell can be recomputed from one published sum.
 *
 * The guarantee, for every grouping, once settled:
 * - parent published: its suppressed children are either none, or at least two cells with together
 *   at least `minRespondents` respondents (subtracting the published children from the parent gives
 *   only their total, shared by two or more cells and at least `minRespondents` people);
 * - parent suppressed: at least one child is suppressed too (so the parent is not simply the sum of
 *   its published children).
 *
 * To get there a published parent hides its smallest published children (fewest respondents, ties
 * by report order) until its suppressed group is large enough, or hides itself when no published
 * child is left; a suppressed parent hides its smallest child. Every new suppression re-checks the
 * groupings the cell belongs to, until nothing changes. Deterministic: the result depends only on
 * the counts, the groupings and their order.
 */
export function complementarySuppression(
  respondents: ArrayLike<number>,
  groupings: readonly CellGrouping[],
  minRespondents: number,
): boolean[] {
  return Array.from(
    suppressionOf(respondents, groupingTableOf(groupings), minRespondents),
    (hidden) => hidden === 1,
  );
}

/**
 * Groupings as three flat arrays (a report of many countries has hundreds of thousands of them:
 * an object and an array each were a cost of their own): grouping g sums `parents[g]` from the
 * cells `children[childStart[g] … childStart[g + 1])`, in report order.
 */
export interface GroupingTable {
  readonly parents: Int32Array;
  readonly childStart: Int32Array;
  readonly children: Int32Array;
}

/** `groupings` as a `GroupingTable`, in the same order. */
export function groupingTableOf(groupings: readonly CellGrouping[]): GroupingTable {
  let total = 0;
  for (const { children } of groupings) total += children.length;
  const parents = new Int32Array(groupings.length);
  const childStart = new Int32Array(groupings.length + 1);
  const children = new Int32Array(total);
  let at = 0;
  for (const [index, grouping] of groupings.entries()) {
    parents[index] = grouping.parent;
    childStart[index] = at;
    for (const child of grouping.children) children[at++] = child;
  }
  childStart[groupings.length] = at;
  return { parents, childStart, children };
}

/** A `GroupingTable`'s groupings as objects, in the same order. */
export function groupingsOf(table: GroupingTable): CellGrouping[] {
  return Array.from(table.parents, (parent, index) => ({
    parent,
    children: [
      ...table.children.subarray(
        table.childStart[index] as number,
        table.childStart[index + 1] as number,
      ),
    ],
  }));
}

/** `complementarySuppression` over a `GroupingTable`: 1 for each suppressed cell, else 0. */
export function suppressionOf(
  respondents: ArrayLike<number>,
  groupings: GroupingTable,
  minRespondents: number,
): Uint8Array {
  const cells = respondents.length;
  const count = groupings.parents.length;
  const { parents, childStart, children } = groupings;
  const suppressed = new Uint8Array(cells);
  for (let cell = 0; cell < cells; cell++) {
    if ((respondents[cell] as number) < minRespondents) suppressed[cell] = 1;
  }
  const inRange = (cell: number) => cell >= 0 && cell < cells;
  // The groupings each cell belongs to, in grouping order.
  const firstOf = new Int32Array(cells + 1);
  for (let index = 0; index < count; index++) {
    const parent = parents[index] as number;
    if (inRange(parent)) firstOf[parent + 1] = (firstOf[parent + 1] as number) + 1;
    for (let at = childStart[index] as number; at < (childStart[index + 1] as number); at++) {
      const child = children[at] as number;
      if (inRange(child)) firstOf[child + 1] = (firstOf[child + 1] as number) + 1;
    }
  }
  for (let cell = 0; cell < cells; cell++) {
    firstOf[cell + 1] = (firstOf[cell + 1] as number) + (firstOf[cell] as number);
  }
  const memberships = new Int32Array(firstOf[cells] as number);
  const filled = firstOf.slice(0, cells);
  const add = (cell: number, index: number) => {
    if (!inRange(cell)) return;
    memberships[filled[cell] as number] = index;
    filled[cell] = (filled[cell] as number) + 1;
  };
  for (let index = 0; index < count; index++) {
    add(parents[index] as number, index);
    for (let at = childStart[index] as number; at < (childStart[index + 1] as number); at++) {
      add(children[at] as number, index);
    }
  }

  // Every grouping once, then each again when one of its cells is suppressed (first in, first
  // out; a grouping is queued at most once at a time, so a ring of one slot each holds them).
  const queue = new Int32Array(Math.max(count, 1));
  const queued = new Uint8Array(count).fill(1);
  for (let index = 0; index < count; index++) queue[index] = index;
  let head = 0;
  let waiting = count;
  const suppress = (cell: number) => {
    if (!inRange(cell)) return;
    suppressed[cell] = 1;
    for (let at = firstOf[cell] as number; at < (firstOf[cell + 1] as number); at++) {
      const index = memberships[at] as number;
      if (queued[index] === 0) {
        queued[index] = 1;
        queue[(head + waiting) % count] = index;
        waiting += 1;
      }
    }
  };
  const smallestPublished = (from: number, to: number): number => {
    let smallest = -1;
    for (let at = from; at < to; at++) {
      const cell = children[at] as number;
      if (!inRange(cell) || suppressed[cell] === 1) continue;
      if (smallest < 0 || (respondents[cell] ?? 0) < (respondents[smallest] ?? 0)) {
        smallest = cell;
      }
    }
    return smallest;
  };

  while (waiting > 0) {
    const index = queue[head] as number;
    head = (head + 1) % count;
    waiting -= 1;
    queued[index] = 0;
    const from = childStart[index] as number;
    const to = childStart[index + 1] as number;
    let hiddenCells = 0;
    let hiddenRespondents = 0;
    for (let at = from; at < to; at++) {
      const cell = children[at] as number;
      if (suppressed[cell] === 1) {
        hiddenCells += 1;
        hiddenRespondents += respondents[cell] ?? 0;
      }
    }
    if (suppressed[parents[index] as number] === 1) {
      const child = hiddenCells === 0 ? smallestPublished(from, to) : -1;
      if (child >= 0) suppress(child);
      continue;
    }
    while (hiddenCells > 0 && (hiddenCells < 2 || hiddenRespondents < minRespondents)) {
      const sibling = smallestPublished(from, to);
      if (sibling < 0) {
        suppress(parents[index] as number);
        break;
      }
      suppress(sibling);
      hiddenCells += 1;
      hiddenRespondents += respondents[sibling] ?? 0;
    }
  }
  return suppressed;
}

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
  const suppressed = Array.from(respondents, (n) => n < minRespondents);
  // The groupings each cell belongs to, in grouping order, in two flat arrays (a report has
  // hundreds of thousands of cells: an array per cell was a cost of its own).
  const cells = respondents.length;
  const firstOf = new Int32Array(cells + 1);
  const count = (cell: number) => {
    if (cell >= 0 && cell < cells) firstOf[cell + 1] = (firstOf[cell + 1] as number) + 1;
  };
  for (const { parent, children } of groupings) {
    count(parent);
    for (const child of children) count(child);
  }
  for (let cell = 0; cell < cells; cell++) {
    firstOf[cell + 1] = (firstOf[cell + 1] as number) + (firstOf[cell] as number);
  }
  const memberships = new Int32Array(firstOf[cells] as number);
  const filled = firstOf.slice(0, cells);
  const add = (cell: number, index: number) => {
    if (cell < 0 || cell >= cells) return;
    memberships[filled[cell] as number] = index;
    filled[cell] = (filled[cell] as number) + 1;
  };
  for (const [index, { parent, children }] of groupings.entries()) {
    add(parent, index);
    for (const child of children) add(child, index);
  }

  const queue = groupings.map((_, index) => index);
  const queued = groupings.map(() => true);
  const suppress = (cell: number) => {
    suppressed[cell] = true;
    for (let at = firstOf[cell] as number; at < (firstOf[cell + 1] as number); at++) {
      const index = memberships[at] as number;
      if (!queued[index]) {
        queued[index] = true;
        queue.push(index);
      }
    }
  };
  const smallestPublished = (cells: readonly number[]): number | undefined => {
    let smallest: number | undefined;
    for (const cell of cells) {
      if (suppressed[cell]) continue;
      if (smallest === undefined || (respondents[cell] ?? 0) < (respondents[smallest] ?? 0)) {
        smallest = cell;
      }
    }
    return smallest;
  };

  for (let head = 0; head < queue.length; head++) {
    const index = queue[head] ?? 0;
    queued[index] = false;
    const grouping = groupings[index];
    if (!grouping) continue;
    const hidden = grouping.children.filter((cell) => suppressed[cell]);
    if (suppressed[grouping.parent]) {
      const child = hidden.length === 0 ? smallestPublished(grouping.children) : undefined;
      if (child !== undefined) suppress(child);
      continue;
    }
    let hiddenRespondents = hidden.reduce((total, cell) => total + (respondents[cell] ?? 0), 0);
    let hiddenCells = hidden.length;
    while (hiddenCells > 0 && (hiddenCells < 2 || hiddenRespondents < minRespondents)) {
      const sibling = smallestPublished(grouping.children);
      if (sibling === undefined) {
        suppress(grouping.parent);
        break;
      }
      suppress(sibling);
      hiddenCells += 1;
      hiddenRespondents += respondents[sibling] ?? 0;
    }
  }
  return suppressed;
}

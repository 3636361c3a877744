// Offset paging over the Dataset (QBO's STARTPOSITION, Xero's page numbers). A naive emulator answers
// by walking `offset` records; this one jumps there by arithmetic where the Dataset's layout allows it.
//
// In id order, the records matching lower time bounds only (LastUpdatedTime >= T, CreateTime >= T, or
// no bounds) fall into three runs:
//   head   base records created before T that still match (updated since T: created in the last
//          MAX_UPDATE_LAG before T, plus overlay records), found by one bounded Dataset.list scan;
//   middle every base record created at or after T, except deleted ones: all match, because updates
//          only move updatedAt forward; its k-th record is found from the sorted deleted base ids;
//   tail   records created through the control API (ids after the base range), all in the overlay.
// So a page costs O(head + overlay + page) record builds whatever the offset: on 200k invoices,
// STARTPOSITION 150001 MAXRESULTS 1000 builds ~1000 records (see api.test.ts for the timing).
// An upper bound on CreateTime only shortens the middle run (creation times never change, and base
// records are created in id order), so historical windows page by arithmetic too. An upper bound on
// LastUpdatedTime breaks the middle run (an overlay update can move a record out), so those queries
// walk: O(offset + page), documented as a sandbox limitation.
//
// The deleted base ids come from a per-Dataset index fed by Dataset.onChange. Deletions made before the
// index subscribed are detected by counting (deleted base = base - live + live created) and recovered by
// a scan of the records updated after the anchor, or, if the clock ran before the anchor, of the object.
import type { Dataset, ListOptions, StoredRecord } from "@/lib/sandbox/dataset";

export interface IdOrderFilter {
  updatedMin?: number;
  updatedMax?: number;
  createdMin?: number;
  createdMax?: number;
  /**
   * Deleted records stay in the selection (Xero lists a deleted invoice with Status DELETED). Deleting
   * moves updatedAt forward like any change, so the runs below hold with no deleted ids to skip.
   */
  includeDeleted?: boolean;
}

const SCAN_PAGE = 1000;

class DeletionIndex {
  private readonly deleted = new Map<string, number[]>();

  constructor(
    dataset: Dataset,
    private readonly idBases: Map<string, number>,
  ) {
    dataset.onChange(({ kind, record }) => {
      const known = this.deleted.get(record.object);
      if (kind !== "deleted" || !known) return;
      if (record.id <= this.baseEnd(dataset, record.object)) insertSorted(known, record.id);
    });
  }

  baseEnd(dataset: Dataset, object: string): number {
    return (this.idBases.get(object) ?? 0) + dataset.baseCount(object);
  }

  /** Sorted ids of deleted base records of `object`. */
  deletedBaseIds(dataset: Dataset, object: string, liveCreated: number): number[] {
    const expected = dataset.baseCount(object) - dataset.liveCount(object) + liveCreated;
    const known = this.deleted.get(object);
    if (known && known.length === expected) return known;
    let found: number[] = [];
    if (expected > 0) {
      const end = this.baseEnd(dataset, object);
      // Changes made after the account's anchor (the normal case: the clock runs past the generated
      // history) are the only records updated after it, so one bounded scan of the last
      // MAX_UPDATE_LAG of base records plus the overlay finds them.
      found = dataset
        .list(object, { updatedMin: dataset.shape.anchor + 1, includeDeleted: true, limit: Infinity })
        .filter((r) => r.deletedAt !== null && r.id <= end)
        .map((r) => r.id);
      if (found.length !== expected) found = this.scanAll(dataset, object, end);
    }
    this.deleted.set(object, found);
    return found;
  }

  /** Every deleted base id, by walking the whole object: ~190k invoices took 7 s on a loaded 2-core dev box. */
  private scanAll(dataset: Dataset, object: string, end: number): number[] {
    const found: number[] = [];
    for (let afterId: number | undefined; ;) {
      const page = dataset.list(object, { afterId, includeDeleted: true, limit: SCAN_PAGE });
      for (const r of page) if (r.deletedAt !== null && r.id <= end) found.push(r.id);
      if (page.length < SCAN_PAGE || page[page.length - 1].id >= end) return found;
      afterId = page[page.length - 1].id;
    }
  }
}

function insertSorted(list: number[], id: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== id) list.splice(lo, 0, id);
}

const indexes = new WeakMap<Dataset, DeletionIndex>();

function deletionIndex(dataset: Dataset, idBases: Map<string, number>): DeletionIndex {
  let index = indexes.get(dataset);
  if (!index) {
    index = new DeletionIndex(dataset, idBases);
    indexes.set(dataset, index);
  }
  return index;
}

/** The three runs of a lower-bounded selection (see the header). */
interface Runs {
  head: StoredRecord[];
  /** First base index of the middle run. */
  middleStart: number;
  middleFirstId: number;
  /** Sorted deleted ids inside the middle run. */
  middleDeleted: number[];
  middleCount: number;
  tail: StoredRecord[];
}

function hasUpperBound(filter: IdOrderFilter): boolean {
  return filter.updatedMax !== undefined;
}

function runs(dataset: Dataset, object: string, idBases: Map<string, number>, filter: IdOrderFilter): Runs {
  const index = deletionIndex(dataset, idBases);
  const idBase = idBases.get(object) ?? 0;
  const count = dataset.baseCount(object);
  const end = idBase + count;
  const options: ListOptions = { ...filter, limit: Infinity };
  const tail = dataset.list(object, { ...options, afterId: end });
  const liveCreated =
    filter.updatedMin === undefined && filter.createdMin === undefined ? tail.length : dataset.list(object, { afterId: end, limit: Infinity }).length;
  const deleted = filter.includeDeleted ? [] : index.deletedBaseIds(dataset, object, liveCreated);
  const from = Math.max(filter.updatedMin ?? -Infinity, filter.createdMin ?? -Infinity);
  let middleStart = 0;
  let head: StoredRecord[] = [];
  if (from !== -Infinity) {
    const [first] = dataset.list(object, { createdMin: from, includeDeleted: true, limit: 1 });
    middleStart = first && first.id <= end ? first.id - idBase - 1 : count;
    if (middleStart > 0) head = dataset.list(object, { ...options, createdMax: Math.min(from - 1, filter.createdMax ?? Infinity) }).filter((r) => r.id <= end);
  }
  // Base records created after createdMax are an id suffix: the middle run ends before it.
  let middleEnd = count;
  if (filter.createdMax !== undefined) {
    const [after] = dataset.list(object, { createdMin: filter.createdMax + 1, includeDeleted: true, limit: 1 });
    middleEnd = after && after.id <= end ? Math.max(middleStart, after.id - idBase - 1) : count;
  }
  const middleFirstId = idBase + middleStart + 1;
  const middleDeleted = deleted.filter((id) => id >= middleFirstId && id <= idBase + middleEnd);
  return { head, middleStart, middleFirstId, middleDeleted, middleCount: middleEnd - middleStart - middleDeleted.length, tail };
}

/** Id of the record at 0-based position `p` of the selection, or null past its end. */
function idAt(r: Runs, p: number): number | null {
  if (p < r.head.length) return r.head[p].id;
  p -= r.head.length;
  if (p < r.middleCount) {
    let id = r.middleFirstId + p;
    for (const d of r.middleDeleted) {
      if (d > id) break;
      id++;
    }
    return id;
  }
  p -= r.middleCount;
  return p < r.tail.length ? r.tail[p].id : null;
}

/** Records `offset`… of the selection in id order, at most `limit`. */
export function pageInIdOrder(
  dataset: Dataset,
  object: string,
  idBases: Map<string, number>,
  filter: IdOrderFilter,
  offset: number,
  limit: number,
): StoredRecord[] {
  if (hasUpperBound(filter)) return walk(dataset, object, filter, offset, limit);
  if (offset === 0) return dataset.list(object, { ...filter, limit });
  const afterId = idAt(runs(dataset, object, idBases, filter), offset - 1);
  return afterId === null ? [] : dataset.list(object, { ...filter, afterId, limit });
}

export function countInIdOrder(dataset: Dataset, object: string, idBases: Map<string, number>, filter: IdOrderFilter): number {
  if (hasUpperBound(filter)) {
    let total = 0;
    for (let afterId: number | undefined; ;) {
      const page = dataset.list(object, { ...filter, afterId, limit: SCAN_PAGE });
      total += page.length;
      if (page.length < SCAN_PAGE) return total;
      afterId = page[page.length - 1].id;
    }
  }
  const r = runs(dataset, object, idBases, filter);
  return r.head.length + r.middleCount + r.tail.length;
}

function walk(dataset: Dataset, object: string, filter: IdOrderFilter, offset: number, limit: number): StoredRecord[] {
  let afterId: number | undefined;
  for (let skip = offset; skip > 0;) {
    const want = Math.min(SCAN_PAGE, skip);
    const page = dataset.list(object, { ...filter, afterId, limit: want });
    if (page.length < want) return [];
    skip -= page.length;
    afterId = page[page.length - 1].id;
  }
  return dataset.list(object, { ...filter, afterId, limit });
}

/** Records in (updatedAt, id) order from `offset`: walks the offset (ORDERBY Metadata.LastUpdatedTime). */
export function pageByUpdatedAt(dataset: Dataset, object: string, filter: IdOrderFilter, offset: number, limit: number): StoredRecord[] {
  const out: StoredRecord[] = [];
  let skip = offset;
  const since = filter.updatedMin ?? 0; // the epoch: every record's time is after it
  const until = filter.updatedMax === undefined ? undefined : filter.updatedMax + 1;
  const keep = (r: StoredRecord) =>
    (filter.createdMin === undefined || r.createdAt >= filter.createdMin) && (filter.createdMax === undefined || r.createdAt <= filter.createdMax);
  for (let after: { updatedAt: number; id: number } | undefined; out.length < limit;) {
    const page = dataset.listByUpdatedAt(object, { since, until, after, includeDeleted: filter.includeDeleted, limit: SCAN_PAGE });
    for (const r of page) {
      if (!keep(r)) continue;
      if (skip > 0) skip--;
      else if (out.length < limit) out.push(r);
    }
    if (page.length < SCAN_PAGE) break;
    after = { updatedAt: page[page.length - 1].updatedAt, id: page[page.length - 1].id };
  }
  return out;
}

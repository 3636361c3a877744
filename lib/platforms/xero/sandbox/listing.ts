// Which records a list request selects, in which order, and one page of them.
//
// A request becomes a Plan: the dataset objects it reads (Type=="ACCREC" reads only sales invoices),
// bounds on creation time (Date conditions: Date is the day a document was raised, its creation day)
// and on update time (If-Modified-Since, UpdatedDateUTC conditions), whether deleted records are
// included, and the conditions left to test on each rendered record (residual).
//
// Orders: by the id field (the default), UpdatedDateUTC or Date, ascending, ties broken by the id
// field, so equal keys never swap between pages. The id field orders objects by their GUID prefix and
// records by id inside one, so a selection without residual conditions in id order pages by arithmetic
// (lib/sandbox/paging.ts: a page of 1M records builds about one page); other orders merge the objects'
// streams and walk to the page's offset (O(offset)); anything else (DESC, other fields) sorts the
// whole selection, a sandbox limitation fine for the accounts such orders are used on.
import { DAY_MS, type Dataset, type StoredRecord } from "@/lib/sandbox/dataset";
import { countInIdOrder, pageInIdOrder, type IdOrderFilter } from "@/lib/sandbox/paging";
import { inGuidOrder, xeroGuid } from "./ids";
import { ID_BASES, type XeroObject } from "./objects";
import { renderRecord } from "./render";
import type { Resource } from "./resources";
import { dayStart } from "./time";
import type { Condition, OneOf, Value } from "./where";

export interface Plan {
  objects: XeroObject[];
  filter: IdOrderFilter;
  residual: Condition[];
  oneOf: OneOf[];
}

export type OrderKey = "id" | "UpdatedDateUTC" | "Date" | { field: string };
export interface Order {
  key: OrderKey;
  descending: boolean;
}

const ID_BASE_MAP = new Map<string, number>(Object.entries(ID_BASES));
const SCAN = 1000;

/** The plan of a request, or a message for Xero's ValidationException. */
export function planFor(
  resource: Resource,
  conditions: Condition[],
  /** exactSelectors: the fields of `selectors` are tested on each record, not read off its object (writes changed contacts' flags). */
  options: { modifiedSince?: number; includeArchived: boolean; oneOf?: OneOf[]; exactSelectors?: boolean },
  sample: Record<string, unknown>,
): Plan | string {
  let objects = [...resource.objects];
  const filter: IdOrderFilter = { includeDeleted: resource.archivedOnRequest ? options.includeArchived : true };
  const raise = (bound: "updatedMin" | "createdMin", value: number) => (filter[bound] = Math.max(filter[bound] ?? -Infinity, value));
  const lower = (bound: "updatedMax" | "createdMax", value: number) => (filter[bound] = Math.min(filter[bound] ?? Infinity, value));
  // Inclusive: a client that pages by passing the last UpdatedDateUTC it saw repeats the records of
  // that instant (and drops them by id) rather than missing ones that share it.
  if (options.modifiedSince !== undefined) raise("updatedMin", options.modifiedSince);
  const residual: Condition[] = [];
  for (const condition of conditions) {
    const field = condition.path.join(".");
    if (!(condition.path[0] in sample) && !(field in resource.selectors)) return `${field} is not a valid property of ${resource.name}`;
    const selector = resource.selectors[field];
    if (selector && options.exactSelectors && resource.name === "Contacts") {
      residual.push(condition);
      continue;
    }
    if (selector && (condition.op === "==" || condition.op === "!=") && (condition.value.kind === "string" || condition.value.kind === "boolean")) {
      const chosen = selector[String(condition.value.value)] ?? [];
      objects = objects.filter((o) => (condition.op === "==") === chosen.includes(o));
      continue;
    }
    if (field === resource.statusField && condition.value.kind === "string" && !resource.archivedOnRequest) {
      // Only deleted records carry the deleted status: "!= DELETED" is "not deleted", exactly.
      if (condition.op === "!=" && condition.value.value === resource.deletedStatus) {
        filter.includeDeleted = false;
        continue;
      }
    }
    if (field === "ContactStatus" && condition.op === "==" && condition.value.kind === "string" && condition.value.value === "ACTIVE") {
      filter.includeDeleted = false;
      continue;
    }
    if (field === "ContactStatus" && condition.value.kind === "string" && condition.value.value === "ARCHIVED") filter.includeDeleted = true;
    if (field === "UpdatedDateUTC" && condition.value.kind === "date") {
      const t = condition.value.value;
      if (condition.op === ">=") raise("updatedMin", t);
      else if (condition.op === ">") raise("updatedMin", t + 1);
      else if (condition.op === "<=") lower("updatedMax", t);
      else if (condition.op === "<") lower("updatedMax", t - 1);
      else residual.push(condition);
      continue;
    }
    if (field === "Date" && resource.dated && condition.value.kind === "date") {
      // Date is the creation day at midnight UTC; a bound on the day is a bound on the creation time.
      const t = condition.value.value;
      const ceilDay = Math.ceil(t / DAY_MS) * DAY_MS;
      if (condition.op === ">=") raise("createdMin", ceilDay);
      else if (condition.op === ">") raise("createdMin", dayStart(t) + DAY_MS);
      else if (condition.op === "<") lower("createdMax", ceilDay - 1);
      else if (condition.op === "<=") lower("createdMax", dayStart(t) + DAY_MS - 1);
      else residual.push(condition);
      continue;
    }
    residual.push(condition);
  }
  for (const key of ["updatedMin", "createdMin"] as const) if (filter[key] === -Infinity) delete filter[key];
  for (const key of ["updatedMax", "createdMax"] as const) if (filter[key] === Infinity) delete filter[key];
  return { objects: inGuidOrder(objects) as XeroObject[], filter, residual, oneOf: options.oneOf ?? [] };
}

function valueAt(record: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = record;
  for (const part of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

const MS_DATE = (text: string): number | null => {
  if (!text.startsWith("/Date(")) return null;
  const n = parseInt(text.slice(6), 10);
  return Number.isFinite(n) ? n : null;
};

function compare(actual: unknown, value: Value): number | null {
  if (value.kind === "null") return actual === undefined || actual === null ? 0 : 1;
  if (actual === undefined || actual === null) return null;
  if (value.kind === "date") {
    const ms = typeof actual === "string" ? MS_DATE(actual) : null;
    return ms === null ? null : ms - value.value;
  }
  if (value.kind === "number") return typeof actual === "number" ? actual - value.value : null;
  if (value.kind === "boolean") return actual === value.value ? 0 : 1;
  const text = String(actual);
  const expected = value.value;
  // GUIDs compare without regard to case; other strings as Xero stores them.
  const a = text.length === 36 && expected.length === 36 ? text.toLowerCase() : text;
  return a < expected ? -1 : a > expected ? 1 : 0;
}

function matchesOneOf(rendered: Record<string, unknown>, oneOf: OneOf[]): boolean {
  return oneOf.every(({ path, values }) => {
    const value = valueAt(rendered, path);
    return typeof value === "string" && (values.has(value) || values.has(value.toLowerCase()));
  });
}

export function matchesConditions(rendered: Record<string, unknown>, conditions: Condition[]): boolean {
  for (const { path, op, value } of conditions) {
    const c = compare(valueAt(rendered, path), value);
    if (c === null) return op === "!=";
    const ok = op === "==" ? c === 0 : op === "!=" ? c !== 0 : op === ">" ? c > 0 : op === ">=" ? c >= 0 : op === "<" ? c < 0 : c <= 0;
    if (!ok) return false;
  }
  return true;
}

/** Records of one object in id order (and so in creation order), as the filter selects them. */
function* inIdOrder(dataset: Dataset, object: string, filter: IdOrderFilter): Generator<StoredRecord> {
  for (let afterId: number | undefined; ;) {
    const page = dataset.list(object, { ...filter, afterId, limit: SCAN });
    yield* page;
    if (page.length < SCAN) return;
    afterId = page[page.length - 1].id;
  }
}

/** Records of one object in (updatedAt, id) order. */
function* inUpdateOrder(dataset: Dataset, object: string, filter: IdOrderFilter): Generator<StoredRecord> {
  const keep = (r: StoredRecord) =>
    (filter.createdMin === undefined || r.createdAt >= filter.createdMin) && (filter.createdMax === undefined || r.createdAt <= filter.createdMax);
  const until = filter.updatedMax === undefined ? undefined : filter.updatedMax + 1;
  for (let after: { updatedAt: number; id: number } | undefined; ;) {
    const page = dataset.listByUpdatedAt(object, { since: filter.updatedMin ?? 0, until, after, includeDeleted: filter.includeDeleted, limit: SCAN });
    for (const r of page) if (keep(r)) yield r;
    if (page.length < SCAN) return;
    after = { updatedAt: page[page.length - 1].updatedAt, id: page[page.length - 1].id };
  }
}

type Keyed = { record: StoredRecord; key: number; guid: string };

/** Merges streams that are each sorted by (key, guid). */
function* merge(streams: Generator<Keyed>[]): Generator<Keyed> {
  const heads = streams.map((s) => s.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head.done) continue;
      const current = best < 0 ? undefined : heads[best];
      if (!current || current.done || head.value.key < current.value.key || (head.value.key === current.value.key && head.value.guid < current.value.guid))
        best = i;
    }
    if (best < 0) return;
    const chosen = heads[best];
    if (chosen.done) return;
    yield chosen.value;
    heads[best] = streams[best].next();
  }
}

function* keyed(records: Generator<StoredRecord>, key: (r: StoredRecord) => number): Generator<Keyed> {
  for (const record of records) yield { record, key: key(record), guid: xeroGuid(record.object, record.id) };
}

/** Every selected record in the order's sequence (ascending), residual conditions applied. */
function* ordered(dataset: Dataset, resource: Resource, plan: Plan, key: "id" | "UpdatedDateUTC" | "Date"): Generator<StoredRecord> {
  const streams = plan.objects.map((object) =>
    key === "UpdatedDateUTC"
      ? keyed(inUpdateOrder(dataset, object, plan.filter), (r) => r.updatedAt)
      : keyed(inIdOrder(dataset, object, plan.filter), (r) => (key === "Date" ? dayStart(r.createdAt) : 0)),
  );
  for (const { record } of merge(streams)) {
    if (plan.residual.length === 0 && plan.oneOf.length === 0) {
      yield record;
      continue;
    }
    const rendered = renderRecord(resource, record);
    if (matchesConditions(rendered, plan.residual) && matchesOneOf(rendered, plan.oneOf)) yield record;
  }
}

export interface Selection {
  records: StoredRecord[];
  /** Records the whole selection holds (the pagination block's itemCount). */
  total: number;
}

/** Records offset… of the selection, at most `limit` (Infinity: all). */
export function select(dataset: Dataset, resource: Resource, plan: Plan, order: Order, offset: number, limit: number): Selection {
  let simpleKey = typeof order.key === "string" && !order.descending ? order.key : null;
  // Within one object, creation days rise with the id, and equal days fall back to the id: Date order
  // is id order, and pages by arithmetic.
  if (simpleKey === "Date" && plan.objects.length === 1) simpleKey = "id";
  const exact = plan.residual.length === 0 && plan.oneOf.length === 0;
  if (simpleKey === "id" && exact) {
    const counts = plan.objects.map((object) => countInIdOrder(dataset, object, ID_BASE_MAP, plan.filter));
    const total = counts.reduce((a, b) => a + b, 0);
    const records: StoredRecord[] = [];
    let skip = offset;
    for (const [i, object] of plan.objects.entries()) {
      if (records.length >= limit) break;
      if (skip >= counts[i]) {
        skip -= counts[i];
        continue;
      }
      records.push(...pageInIdOrder(dataset, object, ID_BASE_MAP, plan.filter, skip, Math.min(limit - records.length, counts[i] - skip)));
      skip = 0;
    }
    return { records, total };
  }
  if (simpleKey) {
    const records: StoredRecord[] = [];
    let position = 0;
    let total = 0;
    const exactCount = exact;
    for (const record of ordered(dataset, resource, plan, simpleKey)) {
      if (position >= offset && records.length < limit) records.push(record);
      position++;
      // Without residual conditions the count comes from arithmetic: stop walking once the page is full.
      if (exactCount && records.length >= limit) break;
    }
    total = exactCount ? plan.objects.reduce((sum, object) => sum + countInIdOrder(dataset, object, ID_BASE_MAP, plan.filter), 0) : position;
    return { records, total };
  }
  // Any other order: the whole selection, sorted.
  const all = [...ordered(dataset, resource, plan, "id")];
  const sortKey = (r: StoredRecord): string | number => {
    if (order.key === "id") return xeroGuid(r.object, r.id);
    if (order.key === "UpdatedDateUTC") return r.updatedAt;
    if (order.key === "Date") return dayStart(r.createdAt);
    const v = valueAt(renderRecord(resource, r), order.key.field.split("."));
    return typeof v === "number" ? v : typeof v === "string" ? (MS_DATE(v) ?? v) : String(v ?? "");
  };
  const keys = new Map(all.map((r) => [r, sortKey(r)] as const));
  const direction = order.descending ? -1 : 1;
  all.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    if (ka !== kb) return (ka < kb ? -1 : 1) * direction;
    const ga = xeroGuid(a.object, a.id);
    const gb = xeroGuid(b.object, b.id);
    return ga < gb ? -1 : ga > gb ? 1 : 0;
  });
  return { records: all.slice(offset, offset + limit), total: all.length };
}

/** `order` as Xero takes it: "Field", "Field ASC", "Field DESC". */
export function parseOrder(text: string | null, resource: Resource): Order | string {
  if (!text || !text.trim()) return { key: "id", descending: false };
  const words = text.trim().split(/\s+/);
  if (words.length > 2) return `order "${text}" is not supported by the sandbox (one field, ASC or DESC)`;
  const direction = (words[1] ?? "ASC").toUpperCase();
  if (direction !== "ASC" && direction !== "DESC") return `order direction "${words[1]}" must be ASC or DESC`;
  const field = words[0];
  const key: OrderKey =
    field === resource.idField ? "id" : field === "UpdatedDateUTC" ? "UpdatedDateUTC" : field === "Date" && resource.dated ? "Date" : { field };
  return { key, descending: direction === "DESC" };
}

// One sandbox account's records, generated on demand. An account of a million records costs the
// memory of its changes only: record `index` of an object is rebuilt from (seed, object, index) when
// asked for, and its timestamps come from a separate, cheaper stream so that filters by time can skip
// whole ranges without building records.
//
// Base records have ids idBase+1 … idBase+count in creation order, spread evenly over the account's
// history, each updated at most MAX_UPDATE_LAG after its creation. Changes made through the control API
// live in an overlay (a map by id) that shadows base records; records created later take ids after the
// base range.
import { Rng } from "./random";

export const DAY_MS = 24 * 3600 * 1000;
/** How long after its creation a base record may last have been updated. Bounds every time-filter scan. */
export const MAX_UPDATE_LAG_MS = 7 * DAY_MS;

export interface AccountShape {
  seed: number;
  /** Records across all objects (children such as line items are not counted). */
  size: number;
  historyMonths: number;
  /** "Now" when the account was made: the history ends here. */
  anchor: number;
}

export interface BuildInput {
  index: number;
  id: number;
  createdAt: number;
  rng: Rng;
  /** A deterministic id of an existing base record of another object (bills → vendors). */
  ref(object: string): number;
}

export interface ObjectDefinition {
  name: string;
  /** Share of the account's size. */
  weight: number;
  /** Ids of this object start after this number; keep ranges of different objects apart. */
  idBase: number;
  build(input: BuildInput): Record<string, unknown>;
  /**
   * A realistic change of a live record, as a patch (Xero: pay, authorise or void an invoice). Without
   * it, random changes copy a couple of fields from a freshly generated record.
   */
  edit?(record: StoredRecord, rng: Rng): Record<string, unknown>;
}

export interface StoredRecord {
  object: string;
  id: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  data: Record<string, unknown>;
}

export interface DatasetSnapshot {
  changes: StoredRecord[];
  nextIds: Record<string, number>;
}

export interface ListOptions {
  /** Only ids greater than this (id-ordered paging). */
  afterId?: number;
  updatedMin?: number;
  updatedMax?: number;
  createdMin?: number;
  createdMax?: number;
  includeDeleted?: boolean;
  limit: number;
}

export interface ChangeEvent {
  kind: "created" | "updated" | "deleted";
  record: StoredRecord;
}

export interface GroundTruthRow {
  object: string;
  id: number;
  updatedAt: number;
  deleted: boolean;
  /** The data of a record changed since the account was generated; absent for untouched base records. */
  data?: Record<string, unknown>;
}

export class Dataset {
  private readonly counts = new Map<string, number>();
  private readonly definitions = new Map<string, ObjectDefinition>();
  private readonly overlay = new Map<string, Map<number, StoredRecord>>();
  private readonly nextCreatedId = new Map<string, number>();
  private readonly listeners = new Set<(change: ChangeEvent) => void>();
  private readonly sortedCache = new Map<string, StoredRecord[]>();
  private readonly start: number;
  private readonly span: number;

  constructor(
    readonly shape: AccountShape,
    definitions: ObjectDefinition[],
    private readonly clock: () => number = Date.now,
  ) {
    const counts = splitSize(
      shape.size,
      definitions.map((d) => d.weight),
    );
    definitions.forEach((definition, i) => {
      this.definitions.set(definition.name, definition);
      this.counts.set(definition.name, counts[i]);
      this.overlay.set(definition.name, new Map());
      this.nextCreatedId.set(definition.name, definition.idBase + counts[i] + 1);
    });
    this.span = Math.max(1, Math.round(shape.historyMonths * 30.44 * DAY_MS));
    this.start = shape.anchor - this.span;
  }

  /** The account's clock: platforms compare "now" with its change times (e.g. exports' last minute). */
  now(): number {
    return this.clock();
  }

  objects(): string[] {
    return [...this.definitions.keys()];
  }

  /** Base records of an object, whatever happened to them since. */
  baseCount(object: string): number {
    return this.counts.get(object) ?? 0;
  }

  /** Records that exist now (created ones included, deleted ones not). */
  liveCount(object: string): number {
    let count = this.baseCount(object);
    for (const record of this.overlayOf(object).values()) {
      const isBase = record.id <= this.definition(object).idBase + this.baseCount(object);
      if (record.deletedAt !== null && isBase) count--;
      if (record.deletedAt === null && !isBase) count++;
    }
    return count;
  }

  get(object: string, id: number): StoredRecord | undefined {
    const changed = this.overlayOf(object).get(id);
    if (changed) return changed;
    const index = this.indexOf(object, id);
    return index === null ? undefined : this.base(object, index);
  }

  /** A page of records in id order, filtered; costs O(limit + records skipped by the filters' range). */
  list(object: string, options: ListOptions): StoredRecord[] {
    const out: StoredRecord[] = [];
    const overlay = this.sortedOverlay(object);
    const definition = this.definition(object);
    const count = this.baseCount(object);
    let index = this.firstIndexFor(object, options);
    if (options.afterId !== undefined) index = Math.max(index, options.afterId - definition.idBase);
    let o = 0;
    while (out.length < options.limit) {
      const baseId = index < count ? definition.idBase + index + 1 : Infinity;
      while (o < overlay.length && overlay[o].id <= (options.afterId ?? -Infinity)) o++;
      const fromOverlay = o < overlay.length && overlay[o].id <= baseId ? overlay[o] : undefined;
      let candidate: StoredRecord | undefined;
      if (fromOverlay) {
        candidate = fromOverlay;
        o++;
        if (fromOverlay.id === baseId) index++;
      } else if (baseId !== Infinity) {
        if (this.pastLastIndex(object, index, options)) {
          index = count; // nothing later in the base range can match; only the overlay remains
          continue;
        }
        // Timestamps are cheap and records are not: filter on the timestamps before building.
        const createdAt = this.createdAt(object, index);
        const stamps = { id: baseId, createdAt, updatedAt: this.updatedAt(object, index, createdAt), deletedAt: null };
        candidate = matches(stamps, options) ? this.base(object, index) : undefined;
        index++;
      } else break;
      if (candidate && matches(candidate, options)) out.push(candidate);
    }
    return out;
  }

  /**
   * A page in (updatedAt, id) order from `since` (inclusive), as time-based exports page. `after` is the
   * last (updatedAt, id) of the previous page.
   */
  listByUpdatedAt(
    object: string,
    options: { since: number; until?: number; after?: { updatedAt: number; id: number }; includeDeleted?: boolean; limit: number },
  ): StoredRecord[] {
    const from = options.after ? options.after.updatedAt : options.since;
    const until = options.until ?? Infinity;
    const count = this.baseCount(object);
    const overlay = this.overlayOf(object);
    const found: StoredRecord[] = [];
    const isAfter = (r: StoredRecord) =>
      !options.after || r.updatedAt > options.after.updatedAt || (r.updatedAt === options.after.updatedAt && r.id > options.after.id);
    const accept = (r: StoredRecord) => r.updatedAt >= from && r.updatedAt < until && isAfter(r) && (options.includeDeleted || r.deletedAt === null);
    for (const record of overlay.values()) if (accept(record)) found.push(record);
    // Base records updated at or after `from` were created no earlier than from - MAX_UPDATE_LAG; scan
    // forward by creation time, and stop once enough records are found that nothing later can precede them.
    let index = this.indexAtTime(object, from - MAX_UPDATE_LAG_MS);
    const baseFound: StoredRecord[] = [];
    for (; index < count; index++) {
      const created = this.createdAt(object, index);
      if (created >= until) break;
      if (baseFound.length >= options.limit && created > baseFound[baseFound.length - 1].updatedAt) break;
      const id = this.definition(object).idBase + index + 1;
      if (overlay.has(id)) continue;
      const updatedAt = this.updatedAt(object, index, created);
      if (updatedAt < from || updatedAt >= until) continue;
      const record = this.base(object, index);
      if (!accept(record)) continue;
      insertSorted(baseFound, record, options.limit);
    }
    return [...found, ...baseFound].sort(byUpdatedThenId).slice(0, options.limit);
  }

  /** Data for a new or changed record of `object`, as the generator would make it (random changes). */
  synthesize(object: string, rng: Rng): Record<string, unknown> {
    const definition = this.definition(object);
    const index = this.baseCount(object) + rng.int(0, 1_000_000);
    return definition.build({ index, id: 0, createdAt: this.clock(), rng, ref: (other) => this.refId(other, rng) });
  }

  /** The object's own edit of `record` (ObjectDefinition.edit), or undefined when it has none. */
  edit(record: StoredRecord, rng: Rng): Record<string, unknown> | undefined {
    return this.definition(record.object).edit?.(record, rng);
  }

  /** A random live record of `object`, or undefined when there is none. */
  pickLive(object: string, rng: Rng): StoredRecord | undefined {
    const definition = this.definition(object);
    const highest = this.nextCreatedId.get(object)! - 1;
    for (let attempt = 0; attempt < 20; attempt++) {
      const id = definition.idBase + 1 + Math.floor(rng.next() * (highest - definition.idBase));
      const record = this.get(object, id);
      if (record && record.deletedAt === null) return record;
    }
    return this.list(object, { limit: 1 })[0];
  }

  create(object: string, data: Record<string, unknown>): StoredRecord {
    const id = this.nextCreatedId.get(object)!;
    this.nextCreatedId.set(object, id + 1);
    const now = this.clock();
    const record: StoredRecord = { object, id, createdAt: now, updatedAt: now, deletedAt: null, data };
    this.setChanged(record);
    this.emit({ kind: "created", record });
    return record;
  }

  update(object: string, id: number, patch: Record<string, unknown>): StoredRecord | undefined {
    const current = this.get(object, id);
    if (!current || current.deletedAt !== null) return undefined;
    const record: StoredRecord = { ...current, data: { ...current.data, ...patch }, updatedAt: this.tick(current.updatedAt) };
    this.setChanged(record);
    this.emit({ kind: "updated", record });
    return record;
  }

  delete(object: string, id: number): StoredRecord | undefined {
    const current = this.get(object, id);
    if (!current || current.deletedAt !== null) return undefined;
    const now = this.tick(current.updatedAt);
    const record: StoredRecord = { ...current, updatedAt: now, deletedAt: now };
    this.setChanged(record);
    this.emit({ kind: "deleted", record });
    return record;
  }

  /**
   * Every record the account holds now, deleted ones included, in object then id order. Base records
   * are read from their timestamp stream only, never built, so a million rows take seconds.
   */
  *groundTruth(object?: string): Generator<GroundTruthRow> {
    for (const name of object ? [object] : this.objects()) {
      const idBase = this.definition(name).idBase;
      const overlay = this.sortedOverlay(name);
      const count = this.baseCount(name);
      let o = 0;
      const changed = (r: StoredRecord): GroundTruthRow => ({ object: name, id: r.id, updatedAt: r.updatedAt, deleted: r.deletedAt !== null, data: r.data });
      for (let index = 0; index < count; index++) {
        const id = idBase + index + 1;
        while (o < overlay.length && overlay[o].id < id) yield changed(overlay[o++]);
        if (o < overlay.length && overlay[o].id === id) {
          yield changed(overlay[o++]);
          continue;
        }
        const createdAt = this.createdAt(name, index);
        yield { object: name, id, updatedAt: this.updatedAt(name, index, createdAt), deleted: false };
      }
      while (o < overlay.length) yield changed(overlay[o++]);
    }
  }

  /** What the account holds beyond its seed: its changes, for saving across restarts. */
  snapshot(): DatasetSnapshot {
    const changes: StoredRecord[] = [];
    for (const overlay of this.overlay.values()) changes.push(...overlay.values());
    return { changes, nextIds: Object.fromEntries(this.nextCreatedId) };
  }

  /** Puts saved changes back (on an account made with the same shape and objects). */
  restore(snapshot: DatasetSnapshot): void {
    for (const record of snapshot.changes) this.setChanged(record);
    for (const [object, next] of Object.entries(snapshot.nextIds)) if (this.nextCreatedId.has(object)) this.nextCreatedId.set(object, next);
  }

  onChange(listener: (change: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A base record (ignoring the overlay). */
  private base(object: string, index: number): StoredRecord {
    const definition = this.definition(object);
    const id = definition.idBase + index + 1;
    const createdAt = this.createdAt(object, index);
    const rng = new Rng(this.shape.seed, object, index);
    const data = definition.build({ index, id, createdAt, rng, ref: (other) => this.refId(other, rng) });
    return { object, id, createdAt, updatedAt: this.updatedAt(object, index, createdAt), deletedAt: null, data };
  }

  private refId(object: string, rng: Rng): number {
    const count = this.baseCount(object);
    if (count === 0) return 0;
    return this.definition(object).idBase + 1 + Math.floor(rng.next() * count);
  }

  /** Creation times rise with the index: slot i of the history, jittered inside its slot. */
  private createdAt(object: string, index: number): number {
    const count = this.baseCount(object);
    const slot = this.span / Math.max(1, count);
    const jitter = new Rng(this.shape.seed, object, "created", index).next() * slot * 0.9;
    return Math.floor(this.start + index * slot + jitter);
  }

  private updatedAt(object: string, index: number, createdAt: number): number {
    const rng = new Rng(this.shape.seed, object, "updated", index);
    if (!rng.chance(0.3)) return createdAt;
    return Math.min(this.shape.anchor, createdAt + Math.floor(rng.next() * MAX_UPDATE_LAG_MS));
  }

  /** The first base index of `object` whose creation time may be at or after `time` (slot arithmetic). */
  private indexAtTime(object: string, time: number): number {
    return Math.max(0, Math.floor(((time - this.start) / this.span) * this.baseCount(object)) - 1);
  }

  private firstIndexFor(object: string, options: ListOptions): number {
    const bounds = [0];
    if (options.createdMin !== undefined) bounds.push(this.indexAtTime(object, options.createdMin));
    if (options.updatedMin !== undefined) bounds.push(this.indexAtTime(object, options.updatedMin - MAX_UPDATE_LAG_MS));
    return Math.max(...bounds);
  }

  /** Whether base records from `index` on are all created after the filters' upper bounds. */
  private pastLastIndex(object: string, index: number, options: ListOptions): boolean {
    const created = this.createdAt(object, index);
    return (options.createdMax !== undefined && created > options.createdMax) || (options.updatedMax !== undefined && created > options.updatedMax);
  }

  private indexOf(object: string, id: number): number | null {
    const index = id - this.definition(object).idBase - 1;
    return index >= 0 && index < this.baseCount(object) ? index : null;
  }

  /** The overlay in id order, sorted once per change rather than once per page. */
  private sortedOverlay(object: string): StoredRecord[] {
    let sorted = this.sortedCache.get(object);
    if (!sorted) {
      sorted = [...this.overlayOf(object).values()].sort((a, b) => a.id - b.id);
      this.sortedCache.set(object, sorted);
    }
    return sorted;
  }

  private setChanged(record: StoredRecord): void {
    this.overlayOf(record.object).set(record.id, record);
    this.sortedCache.delete(record.object);
  }

  private overlayOf(object: string): Map<number, StoredRecord> {
    const overlay = this.overlay.get(object);
    if (!overlay) throw new UnknownObjectError(object);
    return overlay;
  }

  private definition(object: string): ObjectDefinition {
    const definition = this.definitions.get(object);
    if (!definition) throw new UnknownObjectError(object);
    return definition;
  }

  /** Now, but strictly after `previous`: an update always moves updated_at forward. */
  private tick(previous: number): number {
    return Math.max(this.clock(), previous + 1);
  }

  private emit(change: ChangeEvent): void {
    for (const listener of this.listeners) listener(change);
  }
}

export class UnknownObjectError extends Error {
  constructor(readonly object: string) {
    super(`Unknown object "${object}"`);
    this.name = "UnknownObjectError";
  }
}

/**
 * Splits `size` records between objects by weight, adding up to `size` exactly. When there are at
 * least as many records as objects, every object gets one, so references (bills → vendors) always
 * find something even in a ten-record account.
 */
export function splitSize(size: number, weights: number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const counts = weights.map((w) => Math.floor((size * w) / total));
  let remainder = size - counts.reduce((sum, c) => sum + c, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i]++;
  if (size >= counts.length) {
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] > 0) continue;
      const largest = counts.indexOf(Math.max(...counts));
      counts[largest]--;
      counts[i] = 1;
    }
  }
  return counts;
}

function matches(record: Pick<StoredRecord, "id" | "createdAt" | "updatedAt" | "deletedAt">, options: ListOptions): boolean {
  if (!options.includeDeleted && record.deletedAt !== null) return false;
  if (options.afterId !== undefined && record.id <= options.afterId) return false;
  if (options.updatedMin !== undefined && record.updatedAt < options.updatedMin) return false;
  if (options.updatedMax !== undefined && record.updatedAt > options.updatedMax) return false;
  if (options.createdMin !== undefined && record.createdAt < options.createdMin) return false;
  if (options.createdMax !== undefined && record.createdAt > options.createdMax) return false;
  return true;
}

function byUpdatedThenId(a: StoredRecord, b: StoredRecord): number {
  return a.updatedAt - b.updatedAt || a.id - b.id;
}

/** Keeps `list` sorted and at most `max` long. */
function insertSorted(list: StoredRecord[], record: StoredRecord, max: number): void {
  let i = list.length;
  while (i > 0 && byUpdatedThenId(list[i - 1], record) > 0) i--;
  if (i >= max) return;
  list.splice(i, 0, record);
  if (list.length > max) list.pop();
}

// The walk of a sync job run (DESIGN.md section 4), depth first over the job's resources: a page of a
// parent resource, then for each record of that page each child resource in full (one request per
// parent record, or per element of its loop_on array), then the parent's next page. Its position is
// the stack of frames in the run's state, which the run saves with every page it sends, so the walk
// resumes wherever the run was saved. It never touches the platform or the database.
import { ConnectorError, type ListRequest } from "@/lib/platforms/types";
import { executionOrder, type JobResourceDefinition } from "./definition";
import { parsePlaceholders, resolvePath, resolveValue, type PlaceholderScope } from "./placeholders";
import { findJobResource, isProxyResource } from "./resources";
import type { Frame, JobRunState, ResourceProgress } from "./run-state";

/** Records per page asked of the platform: keeps each webhook body well under the 256 KB limit. */
export const JOB_PAGE_SIZE = 100;

/** A frame's platform request, and the query it was resolved from (what SYNC_JOB_RUN_RECORD reports). */
export interface FrameRequest {
  request: ListRequest;
  query: Record<string, unknown>;
  /** A proxy resource's GET instead of a listing: the resolved path and query string, and where its records are. */
  proxy?: { path: string; search: string; recordsAt: string | null };
}

export class JobWalk {
  private readonly order: ReturnType<typeof executionOrder>;
  /** Fields of each resource that its descendants' placeholders read: what a frame keeps of a record. */
  private readonly referenced = new Map<string, Set<string>>();

  constructor(
    private readonly resources: readonly JobResourceDefinition[],
    private readonly args: Record<string, unknown>,
    private readonly state: JobRunState,
    private readonly progress: Record<string, ResourceProgress>,
    /** The connection's platform: proxy resources of other platforms are skipped. */
    private readonly platform: string,
  ) {
    this.order = executionOrder(resources);
    for (const resource of resources) {
      const values = [...Object.values(resource.query), resource.loop_on ?? "", resource.path ?? ""].filter((v): v is string => typeof v === "string");
      for (const value of values) {
        for (const placeholder of parsePlaceholders(value)) {
          if (placeholder.kind !== "resource") continue;
          const fields = this.referenced.get(placeholder.resource) ?? new Set<string>();
          fields.add(placeholder.field.split(".")[0]);
          this.referenced.set(placeholder.resource, fields);
        }
      }
    }
  }

  /** A new run's position: the base frame, whose "rows" are one empty record and whose children are the roots. */
  static start(): Frame[] {
    return [{ resource: -1, records: {}, loop: null, cursor: null, page: { rows: [{}], next: null, row: 0, child: 0 } }];
  }

  get top(): Frame {
    return this.state.stack[this.state.stack.length - 1];
  }

  definition(frame: Frame): JobResourceDefinition {
    return this.resources[frame.resource];
  }

  /** The base frame enters its next root resource; false once every root is done (the run is complete). */
  enterNextRoot(base: Frame): boolean {
    const page = base.page!;
    if (page.child >= this.order.roots.length) return false;
    this.state.stack.push(this.newFrame(this.order.roots[page.child++], {}));
    return true;
  }

  /** A frame looping over an empty array has nothing to fetch: it is popped (true). */
  skipEmptyLoop(frame: Frame): boolean {
    if (!frame.loop || frame.loop.values.length > 0) return false;
    this.state.stack.pop();
    frame.loop = null;
    if (this.state.stack.length === 1) this.progress[this.definition(frame).resource].status = "succeeded";
    return true;
  }

  /** The page just fetched becomes the frame's: the rows its children need, reduced to the fields they read. */
  setPage(frame: Frame, records: Record<string, unknown>[], next: string | null): void {
    const definition = this.definition(frame);
    const hasChildren = (this.order.children.get(frame.resource) ?? []).length > 0;
    frame.page = { rows: hasChildren ? records.map((data) => this.reduce(definition.resource, data)) : [], next, row: 0, child: 0 };
  }

  /** After a frame's page: its next row's next child, then its next page, then the next loop element or pop. */
  next(frame: Frame): void {
    const definition = this.definition(frame);
    const children = this.order.children.get(frame.resource) ?? [];
    const page = frame.page!;
    if (children.length && page.row < page.rows.length) {
      if (page.child < children.length) {
        const records = { ...frame.records, [definition.resource]: page.rows[page.row] };
        this.state.stack.push(this.newFrame(children[page.child++], records));
      } else {
        page.row++;
        page.child = 0;
      }
      return;
    }
    if (page.next) {
      frame.cursor = page.next;
      frame.page = null;
      return;
    }
    this.advance(frame);
  }

  /** A frame's current element (or the frame) is done: the next loop element, or pop. */
  advance(frame: Frame): void {
    frame.page = null;
    frame.cursor = null;
    if (frame.loop && frame.loop.index + 1 < frame.loop.values.length) {
      frame.loop.index++;
      return;
    }
    this.state.stack.pop();
    // A root popped: it and its descendants are complete.
    if (this.state.stack.length === 1) {
      const done = [frame.resource];
      for (let i = 0; i < done.length; i++) done.push(...(this.order.children.get(done[i]) ?? []));
      for (const i of done) this.progress[this.resources[i].resource].status = "succeeded";
    }
  }

  /**
   * The platform request for a frame, or null when a parent record lacks a value a placeholder needs.
   * Throws a permanent ConnectorError for a loop_on that is not an array or a query value that is not a date-time.
   */
  requestFor(frame: Frame): FrameRequest | null {
    if (frame.loopError) throw new ConnectorError("permanent", frame.loopError);
    const definition = this.definition(frame);
    const scope: PlaceholderScope = { args: this.args, previousRunDate: this.state.previousRunDate, records: frame.records };
    if (frame.loop && definition.loop_on !== undefined)
      scope.loop = { raw: parsePlaceholders(definition.loop_on)[0].raw, value: frame.loop.values[frame.loop.index] };
    if (isProxyResource(definition.resource)) return this.proxyRequest(definition, scope);
    const spec = findJobResource(definition.resource)!;
    const request: ListRequest = { object: spec.object, cursor: frame.cursor, pageSize: JOB_PAGE_SIZE };
    const query: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(definition.query)) {
      const resolved = resolveValue(raw, scope);
      if (resolved.missing) {
        if (resolved.missing.kind === "resource") return null;
        continue; // an optional argument not given, or no previous run: the parameter is left out
      }
      query[name] = resolved.value;
      const parameter = spec.query.find((q) => q.name === name)!;
      if (parameter.format === "date-time") {
        const date = new Date(String(resolved.value));
        if (Number.isNaN(date.getTime())) throw new ConnectorError("permanent", `query.${name}: "${String(resolved.value)}" is not a date-time`);
        if (parameter.kind === "updated_at_min") request.updatedSince = date;
        else
          request.window = {
            start: parameter.kind === "created_at_min" ? date : (request.window?.start ?? null),
            end: parameter.kind === "created_at_max" ? date : (request.window?.end ?? null),
          };
      } else {
        request.filters = { ...request.filters, [name]: typeof resolved.value === "object" ? JSON.stringify(resolved.value) : String(resolved.value) };
      }
    }
    return { request, query };
  }

  /**
   * A proxy resource's one GET: its path and query resolved (null when a placeholder has no value, as
   * for a listing, or when the connection is of another platform). Paging is the platform's own: set
   * its page size in query; one request is made per run, parent record or loop element.
   */
  private proxyRequest(definition: JobResourceDefinition, scope: PlaceholderScope): FrameRequest | null {
    if (definition.platform !== this.platform || definition.path === undefined) return null;
    const path = resolvePath(definition.path, scope);
    if (path.path === null) {
      if (path.missing?.kind === "resource") return null;
      throw new ConnectorError("permanent", `path: ${path.missing!.raw} has no value`);
    }
    const query: Record<string, unknown> = {};
    const search = new URLSearchParams();
    for (const [name, raw] of Object.entries(definition.query)) {
      const resolved = resolveValue(raw, scope);
      if (resolved.missing) {
        if (resolved.missing.kind === "resource") return null;
        continue;
      }
      query[name] = resolved.value;
      search.set(name, typeof resolved.value === "object" ? JSON.stringify(resolved.value) : String(resolved.value));
    }
    const text = search.toString();
    return {
      request: { object: definition.resource, cursor: null },
      query,
      proxy: { path: path.path, search: text ? `?${text}` : "", recordsAt: definition.records_at ?? null },
    };
  }

  /** The parent record a frame's requests are made for (SYNC_JOB_RUN_RECORD's `parent`), or null for a root. */
  parentOf(frame: Frame): { resource: string; id: unknown } | null {
    const definition = this.definition(frame);
    if (!definition.depends_on) return null;
    const record = frame.records[definition.depends_on];
    return { resource: definition.depends_on, id: record?.id ?? null };
  }

  private newFrame(index: number, records: Record<string, Record<string, unknown>>): Frame {
    const definition = this.resources[index];
    const frame: Frame = { resource: index, records, loop: null, cursor: null, page: null };
    if (definition.loop_on !== undefined) {
      const raw = parsePlaceholders(definition.loop_on)[0].raw;
      const resolved = resolveValue(definition.loop_on, { args: this.args, previousRunDate: this.state.previousRunDate, records });
      if (Array.isArray(resolved.value)) frame.loop = { values: resolved.value, index: 0 };
      else if (resolved.value === undefined) frame.loop = { values: [], index: 0 };
      else frame.loopError = `loop_on ${raw} is ${typeof resolved.value}, not an array`;
    }
    this.progress[definition.resource].status = "running";
    return frame;
  }

  private reduce(resource: string, data: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries([...(this.referenced.get(resource) ?? [])].map((field) => [field, data[field] ?? null]));
  }
}

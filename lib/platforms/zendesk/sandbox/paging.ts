// Zendesk's two ways of paging a list endpoint
// (https://developer.zendesk.com/api-reference/introduction/pagination/):
// - cursor pagination, chosen by any page[...] parameter: page[size] ≤ 100, page[after] / page[before],
//   answered with `meta: { has_more, after_cursor, before_cursor }` and `links: { prev, next }`;
// - offset pagination, the default without page[...]: page (≤ 100 pages, as Zendesk caps it) and
//   per_page ≤ 100, answered with `next_page`, `previous_page` and `count`.
// Both walk the items in id order, so every item appears exactly once across pages.
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { apiUrl, BadParameter, decodeCursor, encodeCursor, intParam } from "./wire";

/** A list in ascending id order that can be read from either side of an id. */
export interface IdOrderedSource<T> {
  idOf(item: T): number;
  /** Up to `limit` items with ids above `afterId` (all when undefined), ascending. */
  after(afterId: number | undefined, limit: number): T[];
  /** Up to `limit` items with ids just below `beforeId`, ascending. */
  before(beforeId: number, limit: number): T[];
  count(): number;
}

const MAX_PAGE_SIZE = 100;
/** Zendesk refuses offset pagination past the 100th page and points to cursor pagination. */
const MAX_OFFSET_PAGE = 100;
const PAGE_CODE = "InvalidPaginationParameter";

export function pageList<T>(request: SandboxRequest, key: string, source: IdOrderedSource<T>, render: (item: T) => unknown): SandboxResponse {
  const { query } = request;
  const cursorMode = ["page[size]", "page[after]", "page[before]"].some((name) => query.has(name));
  return cursorMode ? cursorPage(request, key, source, render) : offsetPage(request, key, source, render);
}

function cursorPage<T>(request: SandboxRequest, key: string, source: IdOrderedSource<T>, render: (item: T) => unknown): SandboxResponse {
  const { query } = request;
  const size = intParam(query, "page[size]", 1, MAX_PAGE_SIZE, PAGE_CODE) ?? MAX_PAGE_SIZE;
  const afterRaw = query.get("page[after]");
  const beforeRaw = query.get("page[before]");
  if (afterRaw !== null && beforeRaw !== null) throw new BadParameter("page[before]", "page[after] and page[before] cannot be combined", PAGE_CODE);
  let items: T[];
  let hasMore: boolean;
  if (beforeRaw !== null) {
    const [beforeId] = decodeCursor("page[before]", beforeRaw, 1);
    const fetched = source.before(beforeId, size + 1);
    hasMore = fetched.length > size;
    items = hasMore ? fetched.slice(1) : fetched;
  } else {
    const afterId = afterRaw === null ? undefined : decodeCursor("page[after]", afterRaw, 1)[0];
    const fetched = source.after(afterId, size + 1);
    hasMore = fetched.length > size;
    items = fetched.slice(0, size);
  }
  const afterCursor = items.length ? encodeCursor([source.idOf(items[items.length - 1])]) : null;
  const beforeCursor = items.length ? encodeCursor([source.idOf(items[0])]) : null;
  const link = (name: string, cursor: string | null) =>
    cursor === null ? null : apiUrl(request.baseUrl, request.path, { "page[size]": size, [name]: cursor });
  return json(200, {
    [key]: items.map(render),
    meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
    links: { prev: link("page[before]", beforeCursor), next: link("page[after]", afterCursor) },
  });
}

function offsetPage<T>(request: SandboxRequest, key: string, source: IdOrderedSource<T>, render: (item: T) => unknown): SandboxResponse {
  const { query } = request;
  const raw = query.get("page");
  if (raw !== null && /^\d+$/.test(raw) && Number(raw) > MAX_OFFSET_PAGE) {
    throw new BadParameter(
      "page",
      `Offset pagination is limited to the first ${MAX_OFFSET_PAGE} pages; use cursor pagination (page[size], page[after]) for more`,
      PAGE_CODE,
    );
  }
  const page = intParam(query, "page", 1, MAX_OFFSET_PAGE, PAGE_CODE) ?? 1;
  const perPage = intParam(query, "per_page", 1, MAX_PAGE_SIZE, PAGE_CODE) ?? MAX_PAGE_SIZE;
  // Skipping costs O(skipped) item reads, bounded by the 100-page cap (10,000 items).
  let afterId: number | undefined;
  for (let skip = (page - 1) * perPage; skip > 0;) {
    const chunk = source.after(afterId, Math.min(skip, 1000));
    if (chunk.length === 0) break;
    afterId = source.idOf(chunk[chunk.length - 1]);
    skip -= chunk.length;
  }
  const fetched = source.after(afterId, perPage + 1);
  const items = fetched.slice(0, perPage);
  const link = (n: number) => apiUrl(request.baseUrl, request.path, { page: n, per_page: perPage });
  return json(200, {
    [key]: items.map(render),
    next_page: fetched.length > perPage && page < MAX_OFFSET_PAGE ? link(page + 1) : null,
    previous_page: page > 1 ? link(page - 1) : null,
    count: source.count(),
  });
}

/** An in-memory list (a ticket's comments) as an id-ordered source. */
export function arraySource<T>(items: readonly T[], idOf: (item: T) => number): IdOrderedSource<T> {
  return {
    idOf,
    after: (afterId, limit) => items.filter((item) => afterId === undefined || idOf(item) > afterId).slice(0, limit),
    before: (beforeId, limit) => items.filter((item) => idOf(item) < beforeId).slice(-limit),
    count: () => items.length,
  };
}

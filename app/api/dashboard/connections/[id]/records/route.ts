// The data browser's pages: one object's stored records through lib/sync/reads.ts listRecords (the
// REST API's own read, keyset on last modification), for a signed-in member's connection; narrowed to
// one id (exact) or to a text search over the object's searchable fields (lib/unified/columns.ts).
import { z } from "zod";
import { dashboardRoute, fresh, queryProblem, requireId } from "@/lib/dashboard/route";
import { getPlatform } from "@/lib/platforms/catalog";
import { getEngine } from "@/lib/sync/engine";
import { listRecords, type RecordPage } from "@/lib/sync/reads";
import { recordColumns, type RecordColumn } from "@/lib/unified/columns";

export const dynamic = "force-dynamic";

/** Records per page in the browser: each shows its JSON, so fewer than the API's default. */
const BROWSER_PAGE_SIZE = 20;
/** Long enough for any order number, email or subject fragment; short enough to keep ILIKE cheap. */
const MAX_SEARCH_LENGTH = 100;

// An empty input box sends "": the same as leaving the parameter out.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

const browserQuerySchema = z.object({
  object: z.string({ error: "object: choose an object" }).min(1, "object: choose an object").max(64, "object: at most 64 characters"),
  cursor: optional(z.string().max(1_000, "cursor: is not one this route returned")),
  id: optional(z.string().trim().min(1, "id: must not be blank").max(255, "id: at most 255 characters")),
  search: optional(z.string().trim().min(1, "search: must not be blank").max(MAX_SEARCH_LENGTH, `search: at most ${MAX_SEARCH_LENGTH} characters`)),
});

export const GET = dashboardRoute<{ id: string }>(async ({ context, request, params }) => {
  const id = requireId("id", "conn", params.id, "a connection");
  const search = request.nextUrl.searchParams;
  const parsed = browserQuerySchema.safeParse({
    object: search.get("object") ?? undefined,
    cursor: search.get("cursor"),
    id: search.get("id"),
    search: search.get("search"),
  });
  if (!parsed.success) throw queryProblem(parsed.error);
  // listRecords' errors (no such connection: 404, not ready: 409, a bad cursor: 400) are coded ones.
  const page = await listRecords(getEngine(), {
    organizationId: context.organization.id,
    environment: context.environment,
    connectionId: id,
    object: parsed.data.object,
    cursor: parsed.data.cursor ?? null,
    id: parsed.data.id ?? null,
    search: parsed.data.search ?? null,
    limit: BROWSER_PAGE_SIZE,
  });
  // The page comes with the object's columns (its category's contract) for the browser to draw it in.
  // listRecords found the connection in the member's organization and environment: only its platform is read here.
  const connection = await context.db.connection.findFirst({ where: { id }, select: { platform: true } });
  const category = connection ? getPlatform(connection.platform)?.category : undefined;
  const body: RecordPage & { columns: RecordColumn[] } = { ...page, columns: category ? recordColumns(category, parsed.data.object) : [] };
  return fresh(body);
});

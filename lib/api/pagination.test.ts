// Paging through 10,000 stored records over the data route: every record exactly once, whatever the
// page size, even when thousands share one modification time (the keyset's tie-break is the row id),
// and within updated_at bounds. Deleted records only with include_deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as readObject } from "@/app/api/v1/[category]/[object]/route";
import { testDatabaseKinds } from "@/lib/db/testing";
import { createConnection } from "@/lib/sync/connections";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createApiKey } from "./keys";

const TOTAL = 10_000;
const BASE = Date.parse("2026-06-01T00:00:00.000Z");

describe.each(testDatabaseKinds())("pagination over 10k records on %s", (kind) => {
  let h: SyncHarness;
  let authorization: string;
  let accessToken: string;

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Pages" });
    authorization = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
    const connection = await createConnection(h.database.db, {
      organizationId: h.organizationId,
      environment: "sandbox",
      platform: "shopify",
      platformAccountId: "pages-shop",
      credentials: { kind: "api_key", apiKey: "unused" },
    });
    accessToken = connection.accessToken;
    await h.database.db.connection.update({ where: { id: connection.id }, data: { isReady: true, stage: "ONGOING" } });
    // 10,000 orders over 20 modification times, so each time is shared by 500 records; every 97th is deleted.
    await h.database.db.$executeRawUnsafe(
      `insert into records (organization_id, environment, connection_id, object, external_id, data, hash, last_modified_at, deleted_at)
       select $1, 'sandbox', $2, 'orders', 'order-' || n, jsonb_build_object('id', 'order-' || n, 'n', n), md5(n::text),
              to_timestamp(($3::bigint + (n % 20) * 60000) / 1000.0),
              case when n % 97 = 0 then to_timestamp($3::bigint / 1000.0) end
       from generate_series(1, ${TOTAL}) n`,
      h.organizationId,
      connection.id,
      BASE,
    );
  }, 120_000);
  afterAll(() => h?.close());

  async function walk(query: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `http://localhost/api/v1/commerce/orders?access_token=${accessToken}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const response = await readObject(new Request(url, { headers: { authorization } }), {
        params: Promise.resolve({ category: "commerce", object: "orders" }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { orders: { id: string; updated_at: string }[]; next_cursor: string | null };
      ids.push(...body.orders.map((o) => o.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    return { ids, pages };
  }

  const live = Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => n % 97 !== 0);

  it.each([500, 333, 1])(
    "limit=%i returns each live record exactly once",
    async (limit) => {
      if (limit === 1) {
        // Single-record pages across a tie: the first 50 steps stay inside one shared timestamp.
        const ids: string[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 50; i++) {
          const url = `http://localhost/api/v1/commerce/orders?access_token=${accessToken}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
          const body = (await (
            await readObject(new Request(url, { headers: { authorization } }), { params: Promise.resolve({ category: "commerce", object: "orders" }) })
          ).json()) as { orders: { id: string }[]; next_cursor: string };
          ids.push(body.orders[0].id);
          cursor = body.next_cursor;
        }
        expect(new Set(ids).size).toBe(50);
        return;
      }
      const { ids, pages } = await walk(`limit=${limit}`);
      expect(ids.length).toBe(live.length);
      expect(new Set(ids).size).toBe(live.length);
      expect(new Set(ids)).toEqual(new Set(live.map((n) => `order-${n}`)));
      expect(pages).toBe(Math.ceil(live.length / limit) + (live.length % limit === 0 ? 1 : 0));
    },
    120_000,
  );

  it("updated_at bounds and include_deleted page the right subset exactly once", async () => {
    // Modification times 5..9 minutes after BASE: n % 20 in 5..9.
    const min = new Date(BASE + 5 * 60_000).toISOString();
    const max = new Date(BASE + 9 * 60_000).toISOString();
    const bounded = await walk(`limit=500&updated_at_min=${min}&updated_at_max=${max}`);
    const expected = live.filter((n) => n % 20 >= 5 && n % 20 <= 9).map((n) => `order-${n}`);
    expect(bounded.ids.length).toBe(expected.length);
    expect(new Set(bounded.ids)).toEqual(new Set(expected));

    const all = await walk("limit=500&include_deleted=true");
    expect(all.ids.length).toBe(TOTAL);
    expect(new Set(all.ids).size).toBe(TOTAL);
  }, 120_000);
});

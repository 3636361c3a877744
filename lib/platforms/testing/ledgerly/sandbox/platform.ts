// Ledgerly as the sandbox serves it (tests only): /ledgerly/{workspace}/v1/{object}, bearer tokens.
import { json } from "@/lib/sandbox/http";
import type { SandboxPlatform } from "@/lib/sandbox/platform";
import { FixedWindow } from "@/lib/sandbox/rate-limit";

const iso = (ms: number) => new Date(ms).toISOString();
const time = (value: string | null) => (value === null ? undefined : Date.parse(value));

export const ledgerly: SandboxPlatform = {
  key: "ledgerly",
  name: "Ledgerly",
  objects: [
    { name: "tax_classes", weight: 1, idBase: 1_000, build: ({ rng }) => ({ name: `Class ${rng.int(1, 99)}` }) },
    {
      name: "tax_rates",
      weight: 3,
      idBase: 100_000,
      build: ({ rng, ref }) => ({ tax_class_id: String(ref("tax_classes")), percent: `${rng.int(0, 25)}.${rng.int(0, 9)}` }),
    },
  ],
  scopes: ["tax:read"],
  acceptsApiKeys: false,
  groundTruth: { tax_classes: "tax_classes", tax_rates: "tax_rates" },
  demoAccount: { id: "demo-ledger", name: "Demo Ledger" },
  route(path) {
    const match = /^\/([a-z0-9-]+)(\/v1\/.*)$/.exec(path);
    return match ? { accountId: match[1], path: match[2] } : null;
  },
  credential(request) {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    return match ? { kind: "token", value: match[1] } : null;
  },
  errors: {
    unauthorized: () => json(401, { error: "unauthorized" }),
    closed: () => json(404, { error: "not_found" }),
    rateLimited: (seconds) => json(429, { error: "rate_limited" }, { "Retry-After": String(seconds) }),
    serverError: () => json(503, { error: "unavailable" }),
  },
  limiter: (scale) => new FixedWindow(Math.max(1, Math.round(600 * scale)), 60_000, { limit: "X-RateLimit-Limit", remaining: "X-RateLimit-Remaining" }),
  handle(request, dataset) {
    const object = /^\/v1\/(tax_classes|tax_rates)$/.exec(request.path)?.[1];
    if (!object || request.method !== "GET") return json(404, { error: "not_found" });
    const limit = Math.min(100, Number(request.query.get("limit") ?? 100));
    const classId = request.query.get("tax_class_id");
    const page = dataset
      .list(object, {
        afterId: request.query.has("after") ? Number(request.query.get("after")) : undefined,
        updatedMin: time(request.query.get("updated_since")),
        createdMin: time(request.query.get("created_after")),
        createdMax: time(request.query.get("created_before")),
        limit: classId ? Number.MAX_SAFE_INTEGER : limit + 1,
      })
      .filter((record) => !classId || record.data.tax_class_id === classId)
      .slice(0, limit + 1);
    const data = page
      .slice(0, limit)
      .map((record) => ({ id: String(record.id), ...record.data, created_at: iso(record.createdAt), updated_at: iso(record.updatedAt) }));
    return json(200, { data, next_after: page.length > limit ? data[data.length - 1].id : null });
  },
  webhook(change, secret) {
    return { headers: { "X-Ledgerly-Secret": secret }, body: JSON.stringify({ object: change.record.object, id: change.record.id, kind: change.kind }) };
  },
};

// The served /api/inngest endpoint, read the way the Inngest dev server and Inngest cloud read it: an
// in-band sync (PUT) answers with every function's configuration — triggers, concurrency, throttle.
import { describe, expect, it } from "vitest";
import { GET, PUT } from "./route";

interface FunctionConfig {
  id: string;
  name: string;
  triggers: ({ event: string } | { cron: string })[];
  concurrency?: { key?: string; limit: number };
  throttle?: { key?: string; limit: number; period: string };
  steps: Record<string, { retries?: { attempts: number } }>;
}

describe("GET and PUT /api/inngest", () => {
  it("lists every function with its triggers, concurrency and throttle", async () => {
    const url = "http://localhost:3000/api/inngest";
    const response = await PUT(new Request(url, { method: "PUT", headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band" }, body: JSON.stringify({ url }) }) as never, undefined as never);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { app_id: string; functions: FunctionConfig[] };
    expect(body.app_id).toBe("tributary");
    const byId = Object.fromEntries(body.functions.map((f) => [f.id.replace(/^tributary-/, ""), f]));
    expect(Object.keys(byId).sort()).toEqual(["connection-backfill", "connection-sync", "heartbeat", "scheduler", "stuck-run-monitor", "sync-job-run", "sync-job-scheduler", "webhook-delivery", "webhook-dispatcher"]);
    expect(byId["webhook-dispatcher"].triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["webhook-delivery"].triggers).toEqual([{ event: "tributary/webhook.delivery.requested" }]);
    expect(byId["webhook-delivery"].concurrency).toEqual({ key: "event.data.endpoint_id", limit: 10 });
    expect(byId.scheduler.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["stuck-run-monitor"].triggers).toEqual([{ cron: "*/5 * * * *" }]);
    expect(byId["connection-sync"].triggers).toEqual([{ event: "tributary/connection.sync.requested" }]);
    expect(byId["connection-sync"].concurrency).toEqual({ key: "event.data.connection_id", limit: 1 });
    expect(byId["connection-sync"].throttle).toEqual({ key: "event.data.platform", limit: 120, period: "1m" });
    expect(byId["connection-backfill"].triggers).toEqual([{ event: "tributary/connection.backfill.requested" }]);
    expect(byId["sync-job-scheduler"].triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["sync-job-run"].triggers).toEqual([{ event: "tributary/sync-job-run.requested" }]);
    expect(byId["sync-job-run"].concurrency).toEqual({ key: "event.data.run_id", limit: 1 });

    const introspection = await GET(new Request(url) as never, undefined as never);
    expect(await introspection.json()).toMatchObject({ function_count: 9 });
  });
});

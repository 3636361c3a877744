// The served /api/inngest endpoint, read the way the Inngest dev server and Inngest cloud read it: an
// in-band sync (PUT) answers with every function's configuration — triggers, concurrency, throttle.
// Tests run outside production without Inngest keys, so the endpoint serves in dev mode (unsigned):
// it answers only calls from this machine.
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoute, type AppServer, type RouteHandler } from "@/inngest/testing/app-server";
import { GET, INNGEST_BODY_LIMIT, POST, PUT } from "./route";

// What the launcher loads into the Next.js server: each request stamped with its socket's address.
beforeAll(() => import("../../../scripts/next-preload.mjs"));
const fromThisMachine = { "x-tributary-peer-address": "127.0.0.1", "x-forwarded-for": "127.0.0.1" };

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
    const response = await PUT(
      new Request(url, {
        method: "PUT",
        headers: { ...fromThisMachine, "content-type": "application/json", "x-inngest-sync-kind": "in_band" },
        body: JSON.stringify({ url }),
      }) as never,
      undefined as never,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { app_id: string; functions: FunctionConfig[] };
    expect(body.app_id).toBe("tributary");
    const byId = Object.fromEntries(body.functions.map((f) => [f.id.replace(/^tributary-/, ""), f]));
    expect(Object.keys(byId).sort()).toEqual([
      "connection-sync",
      "heartbeat",
      "retention",
      "scheduler",
      "stuck-run-monitor",
      "sync-job-run",
      "sync-job-scheduler",
      "webhook-delivery",
      "webhook-dispatcher",
      "write-run",
      "write-scheduler",
    ]);
    expect(byId["webhook-dispatcher"].triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["webhook-delivery"].triggers).toEqual([{ event: "tributary/webhook.delivery.requested" }]);
    expect(byId["webhook-delivery"].concurrency).toEqual({ key: "event.data.endpoint_id", limit: 10 });
    expect(byId.scheduler.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["stuck-run-monitor"].triggers).toEqual([{ cron: "*/5 * * * *" }]);
    expect(byId["connection-sync"].triggers).toEqual([{ event: "tributary/connection.sync.requested" }]);
    expect(byId["connection-sync"].concurrency).toEqual({ key: "event.data.connection_id", limit: 1 });
    expect(byId["connection-sync"].throttle).toEqual({ key: "event.data.platform", limit: 120, period: "1m" });
    expect(byId["sync-job-scheduler"].triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["sync-job-run"].triggers).toEqual([{ event: "tributary/sync-job-run.requested" }]);
    expect(byId["sync-job-run"].concurrency).toEqual({ key: "event.data.run_id", limit: 1 });
    expect(byId["write-scheduler"].triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["write-run"].triggers).toEqual([{ event: "tributary/write.requested" }]);
    expect(byId["write-run"].concurrency).toEqual({ key: "event.data.write_id", limit: 1 });
    expect(byId.retention.triggers).toEqual([{ cron: "*/5 * * * *" }]);
    expect(byId.retention.concurrency).toEqual({ limit: 1 });

    const introspection = await GET(new Request(url, { headers: fromThisMachine }) as never, undefined as never);
    expect(await introspection.json()).toMatchObject({ function_count: 11 });
  });
});

/** This machine's address that is not loopback: a connection to it comes from it. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe("/api/inngest in dev mode, served over HTTP", () => {
  let server: AppServer;
  beforeAll(async () => {
    // The route's handlers behind a Node HTTP server on every interface, requests passed as Next passes them.
    server = await serveRoute({ GET, POST, PUT } as unknown as Record<"GET" | "POST" | "PUT", RouteHandler>, "/api/inngest", 0, "0.0.0.0");
  });
  afterAll(() => server?.close());

  const call = (host: string, method: string, headers: Record<string, string> = {}) =>
    fetch(`http://${host}:${server.port}/api/inngest?fnId=tributary-heartbeat&stepId=step`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: method === "GET" ? undefined : "{}",
    });

  it.runIf(external)("refuses GET, PUT and POST from another address with 403, spoofed loopback headers or not", async () => {
    for (const method of ["GET", "PUT", "POST"]) {
      for (const spoof of [{}, { "x-forwarded-for": "127.0.0.1", "x-tributary-peer-address": "127.0.0.1" }] as Record<string, string>[]) {
        const response = await call(external!, method, spoof);
        expect(response.status, method).toBe(403);
        expect(await response.json()).toEqual({
          error_type: "AUTHENTICATION_ERROR",
          error_code: "INNGEST_CALL_REFUSED",
          error_message: `Inngest dev mode runs functions without checking signatures, so it answers only calls from this machine: the call came from ${external}, not from this machine. Run the Inngest dev server on this machine, or use signed calls (INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY, without INNGEST_DEV)`,
        });
      }
    }
  });

  it("answers this machine", async () => {
    const response = await call("127.0.0.1", "GET");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ mode: "dev", function_count: 11 });
  });
});

describe("POST and PUT /api/inngest bodies", () => {
  it("are refused with 413 past Inngest's largest run state, read no further than that, before the SDK parses them", async () => {
    for (const [method, handler] of [
      ["POST", POST],
      ["PUT", PUT],
    ] as const) {
      let sent = 0;
      let cancelled = false;
      const chunk = new Uint8Array(1024 * 1024).fill(0x20);
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
        cancel() {
          cancelled = true;
        },
      });
      const request = new Request("http://localhost:3000/api/inngest?fnId=tributary-heartbeat&stepId=step", {
        method,
        headers: { ...fromThisMachine, "content-type": "application/json" },
        body: endless,
        duplex: "half",
      } as RequestInit);
      const response = await (handler as unknown as (r: Request, c: unknown) => Promise<Response>)(request, undefined);
      expect(response.status, method).toBe(413);
      expect(await response.json()).toEqual({
        error_type: "INVALID_REQUEST",
        error_code: "BODY_TOO_LARGE",
        error_message: `The body is larger than this route's limit of ${INNGEST_BODY_LIMIT} bytes`,
      });
      expect(cancelled, method).toBe(true);
      expect(sent, method).toBeLessThanOrEqual(INNGEST_BODY_LIMIT + 2 * chunk.byteLength);
    }
  });
});

// Test harness for sync jobs: a webhook receiver that verifies each delivery with a stock Standard
// Webhooks library, records it, and answers as the test says (status, delay); plus a sync harness with
// a Zendesk connection, an endpoint pointing at the receiver, and a job factory.
import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import type { TestDatabaseKind } from "@/lib/db/testing";
import { createJob, createJobRun, type JobScope } from "./store";

export interface ReceivedEvent {
  webhookId: string;
  type: string;
  data: Record<string, unknown> & { sequence: number };
  receivedAt: number;
}

export interface Receiver {
  url: string;
  /** Every verified request, retries included, in arrival order. */
  requests: ReceivedEvent[];
  /** Each distinct event once (the last attempt that got a 2xx), in order of first arrival. */
  acknowledged(): ReceivedEvent[];
  /** Decides the answer to each request; default 200 at once. */
  answer: (event: ReceivedEvent, attempt: number) => { status: number; delayMs?: number } | Promise<{ status: number; delayMs?: number }>;
  /** Requests being answered right now (back-pressure: never more than one per run). */
  inFlight: number;
  maxInFlight: number;
  setSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let verifier: Webhook | null = null;
  const acked = new Map<string, ReceivedEvent>();
  const attempts = new Map<string, number>();
  const receiver: Receiver = {
    url: "",
    requests: [],
    acknowledged: () => [...acked.values()],
    answer: () => ({ status: 200 }),
    inFlight: 0,
    maxInFlight: 0,
    setSecret(secret) {
      verifier = new Webhook(secret);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        receiver.inFlight++;
        receiver.maxInFlight = Math.max(receiver.maxInFlight, receiver.inFlight);
        try {
          const body = Buffer.concat(chunks).toString();
          const headers = req.headers as Record<string, string>;
          if (!verifier) throw new Error("the receiver has no secret");
          const payload = verifier.verify(body, headers) as { type: string; data: ReceivedEvent["data"] };
          const event: ReceivedEvent = { webhookId: headers["webhook-id"], type: payload.type, data: payload.data, receivedAt: Date.now() };
          receiver.requests.push(event);
          const attempt = (attempts.get(event.webhookId) ?? 0) + 1;
          attempts.set(event.webhookId, attempt);
          const { status, delayMs } = await receiver.answer(event, attempt);
          if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (status >= 200 && status < 300 && !acked.has(event.webhookId)) acked.set(event.webhookId, event);
          res.writeHead(status).end();
        } catch (error) {
          res.writeHead(401).end(error instanceof Error ? error.message : "unverified");
        } finally {
          receiver.inFlight--;
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  return receiver;
}

export interface JobHarness {
  h: SyncHarness;
  scope: JobScope;
  receiver: Receiver;
  endpointId: string;
  connectionId: string;
  accountId: string;
  /** Creates a job in the harness's scope from a definition. */
  job(definition: unknown): Promise<string>;
  /** Queues a run of `jobId` on the harness's connection and endpoint. */
  run(jobId: string, input?: { args?: Record<string, unknown>; ignorePreviousRun?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function createJobHarness(
  options: { kind?: TestDatabaseKind; size?: number; accountId?: string; retrySchedule?: number[]; timeoutMs?: number } = {},
): Promise<JobHarness> {
  const h = await createSyncHarness({ kind: options.kind });
  const scope: JobScope = { organizationId: h.organizationId, environment: "sandbox" };
  const receiver = await startReceiver();
  const accountId = options.accountId ?? "job-desk";
  const connectionId = await h.connect("zendesk", { id: accountId, size: options.size ?? 120 });
  const endpoint = await createEndpoint(h.database.db, scope, {
    url: receiver.url,
    retrySchedule: options.retrySchedule ?? [0, 1, 1, 1, 1],
    timeoutMs: options.timeoutMs ?? 5000,
  });
  receiver.setSecret(endpoint.secret);
  return {
    h,
    scope,
    receiver,
    endpointId: endpoint.id,
    connectionId,
    accountId,
    job: async (definition) => (await createJob(h.database.db, scope, definition)).id,
    run: async (jobId, input = {}) =>
      (await createJobRun(h.database.db, scope, { syncJobId: jobId, connectionId, webhookEndpointId: endpoint.id, ...input })).id,
    async close() {
      await receiver.close();
      await h.close();
    },
  };
}

export { TICKETS_AND_COMMENTS } from "./templates";

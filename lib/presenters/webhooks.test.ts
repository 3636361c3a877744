// The Webhooks pages' reads against a real database: tenant scope, keyset pages, failure rates, the
// replay count, and that no secret (in clear or encrypted) is ever in what the pages read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { tenantDb } from "@/lib/db/tenant";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { eventPatternProblem } from "@/lib/events/catalog";
import { createEndpoint, rotateSecret } from "@/lib/webhooks/endpoints";
import { replayFailed } from "@/lib/webhooks/replay";
import type { DeliveryStatus } from "@/lib/generated/prisma/enums";
import { countFailedDeliveries, decodeCursor, encodeCursor, eventTypeGroups, getEndpoint, listDeliveries, listEndpoints } from "./webhooks";

const NOW = new Date("2026-11-23T12:00:00Z");
const HOUR = 3600 * 1000;

describe.each(testDatabaseKinds())("webhooks presenter on %s", (kind) => {
  let database: TestDatabase;
  let orgA: string;
  let orgB: string;
  let endpointA: string;
  let endpointB: string;
  const secrets: string[] = [];
  const scopeA = () => tenantDb(database.db, { organizationId: orgA, environment: "sandbox" });

  async function delivery(
    organizationId: string,
    endpointId: string,
    status: DeliveryStatus,
    hoursAgo: number,
    attempts: { statusCode: number | null; latencyMs: number }[] = [],
  ) {
    const eventId = newId("evt");
    const createdAt = new Date(NOW.getTime() - hoursAgo * HOUR);
    await database.db.event.create({
      data: { id: eventId, organizationId, environment: "sandbox", type: "CONNECTION_CREATED", data: {}, createdAt, fannedOutAt: createdAt },
    });
    const id = newId("dlv");
    await database.db.delivery.create({
      data: { id, organizationId, environment: "sandbox", endpointId, eventId, status, attemptCount: attempts.length, createdAt },
    });
    for (const [index, attempt] of attempts.entries()) {
      await database.db.deliveryAttempt.create({
        data: {
          id: newId("att"),
          organizationId,
          environment: "sandbox",
          deliveryId: id,
          number: index + 1,
          startedAt: createdAt,
          statusCode: attempt.statusCode,
          latencyMs: attempt.latencyMs,
          responseExcerpt: `answer ${index + 1}`,
        },
      });
    }
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: email, passwordHash: "scrypt-hash" });
    orgA = (await createOrganizationWithOwner(database.db, { name: "Acme", slug: "acme", owner: owner("a@example.com") })).organization.id;
    orgB = (await createOrganizationWithOwner(database.db, { name: "Globex", slug: "globex", owner: owner("b@example.com") })).organization.id;
    const a = await createEndpoint(
      database.db,
      { organizationId: orgA, environment: "sandbox" },
      { url: "https://a.example.com/hooks", eventTypes: ["CONNECTION_*"] },
    );
    const b = await createEndpoint(database.db, { organizationId: orgB, environment: "sandbox" }, { url: "https://b.example.com/hooks" });
    endpointA = a.id;
    endpointB = b.id;
    secrets.push(a.secret, b.secret, (await rotateSecret(database.db, endpointA, { now: NOW })).secret);
    // Endpoint A, last 24 h: 3 succeeded, 1 failed, 1 retrying (pending with an attempt), 1 not attempted yet.
    for (const hours of [1, 2, 3]) await delivery(orgA, endpointA, "succeeded", hours, [{ statusCode: 200, latencyMs: 40 }]);
    await delivery(orgA, endpointA, "failed", 4, [
      { statusCode: 500, latencyMs: 90 },
      { statusCode: 500, latencyMs: 80 },
    ]);
    await delivery(orgA, endpointA, "pending", 5, [{ statusCode: null, latencyMs: 15000 }]);
    await delivery(orgA, endpointA, "pending", 0.1);
    // Older: two failed two days ago, one failed ten days ago (outside a 7-day replay window).
    await delivery(orgA, endpointA, "failed", 48, [{ statusCode: 502, latencyMs: 30 }]);
    await delivery(orgA, endpointA, "failed", 50, [{ statusCode: 502, latencyMs: 30 }]);
    await delivery(orgA, endpointA, "failed", 240, [{ statusCode: 502, latencyMs: 30 }]);
    await delivery(orgB, endpointB, "failed", 1, [{ statusCode: 500, latencyMs: 10 }]);
  });

  afterAll(async () => {
    await database?.close();
  });

  it("lists the member's endpoints only, with their failure rate over the last 24 hours", async () => {
    const endpoints = await listEndpoints(scopeA(), NOW);
    expect(endpoints.map((endpoint) => endpoint.id)).toEqual([endpointA]);
    expect(endpoints[0].recent).toEqual({ total: 6, succeeded: 3, failed: 1, retrying: 1, failureRate: 2 / 5 });
  });

  it("never reads a secret, in clear or encrypted", async () => {
    const stored = await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointA } });
    const read = JSON.stringify([await listEndpoints(scopeA(), NOW), await getEndpoint(scopeA(), endpointA, NOW), await listDeliveries(scopeA(), endpointA)]);
    for (const secret of [...secrets, stored.secretEncrypted, stored.previousSecretEncrypted ?? "no previous secret"]) expect(read).not.toContain(secret);
    expect(read).not.toMatch(/whsec_|secretEncrypted/);
  });

  it("shows a rotation under way until the previous secret stops signing", async () => {
    const endpoint = await getEndpoint(scopeA(), endpointA, NOW);
    expect(endpoint?.rotationEndsAt?.getTime()).toBe(NOW.getTime() + 24 * HOUR);
    expect((await getEndpoint(scopeA(), endpointA, new Date(NOW.getTime() + 25 * HOUR)))?.rotationEndsAt).toBeNull();
  });

  it("answers another organization's endpoint as missing", async () => {
    expect(await getEndpoint(scopeA(), endpointB, NOW)).toBeNull();
    expect((await listDeliveries(scopeA(), endpointB)).deliveries).toEqual([]);
  });

  it("pages through deliveries newest first with a keyset cursor, every delivery once", async () => {
    const seen: string[] = [];
    let cursor = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listDeliveries>> = await listDeliveries(scopeA(), endpointA, { cursor, limit: 4 });
      seen.push(...page.deliveries.map((d) => d.id));
      cursor = decodeCursor(page.nextCursor);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(9);
    const all = await listDeliveries(scopeA(), endpointA, { limit: 50 });
    expect(all.deliveries.map((d) => d.id)).toEqual(seen);
    const created = all.deliveries.map((d) => d.createdAt.getTime());
    expect([...created].sort((x, y) => y - x)).toEqual(created);
    expect(all.nextCursor).toBeNull();
  });

  it("filters deliveries by status and carries each attempt's code, latency and excerpt, latest first", async () => {
    const failed = await listDeliveries(scopeA(), endpointA, { status: "failed" });
    expect(failed.deliveries).toHaveLength(4);
    expect(failed.deliveries[0].attempts.map((a) => [a.number, a.statusCode, a.latencyMs, a.responseExcerpt])).toEqual([
      [2, 500, 80, "answer 2"],
      [1, 500, 90, "answer 1"],
    ]);
  });

  it("ignores a cursor it did not make", () => {
    expect(decodeCursor("not-a-cursor")).toBeNull();
    const cursor = { createdAt: NOW, id: "dlv_1" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("counts the failed deliveries of a window exactly as many as replaying them queues", async () => {
    const window = { from: new Date(NOW.getTime() - 7 * 24 * HOUR), to: NOW };
    const count = await countFailedDeliveries(scopeA(), endpointA, window);
    expect(count).toBe(3);
    expect(await replayFailed(database.db, endpointA, window, NOW)).toBe(count);
    expect(await countFailedDeliveries(scopeA(), endpointA, window)).toBe(0);
    expect(await countFailedDeliveries(scopeA(), endpointA, { from: new Date(0), to: NOW })).toBe(1);
  });

  it("offers only event types and wildcards the catalogue accepts", () => {
    const types = eventTypeGroups().flatMap((group) => group.types);
    expect(types).toContain("CONNECTION_CREATED");
    expect(types).toContain("*_SYNC_FAILED");
    for (const type of types) expect(eventPatternProblem(type)).toBeNull();
  });
});

// Retry now on a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): a retrying
// delivery becomes due, and the dispatcher's own query then finds it; delivered and finally failed
// ones are refused; a held delivery is left to its holder; another endpoint, environment or
// organization reads as missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { emitEvent } from "@/lib/events/emit";
import { dueDeliveries, resumeHold, SLEEPING_HOLD } from "./due";
import { createEndpoint } from "./endpoints";
import { retryNow } from "./retry-now";

describe.each(testDatabaseKinds())("retry now (%s)", (kind) => {
  let database: TestDatabase;
  let organizationId: string;
  let otherOrganizationId: string;
  let endpointId: string;
  let otherEndpointId: string;
  const HOUR = 3600_000;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const owner = (email: string) => ({ email, name: "R", passwordHash: "x" });
    organizationId = (await createOrganizationWithOwner(database.db, { name: "Retry", slug: "retry", owner: owner("r@example.com") })).organization.id;
    otherOrganizationId = (await createOrganizationWithOwner(database.db, { name: "Other", slug: "other", owner: owner("o@example.com") })).organization.id;
    const scope = { organizationId, environment: "sandbox" as const };
    endpointId = (await createEndpoint(database.db, scope, { url: "https://example.com/hooks" })).id;
    otherEndpointId = (await createEndpoint(database.db, scope, { url: "https://example.com/other" })).id;
  }, 300_000);
  afterAll(async () => {
    await database?.close();
  });

  const scope = () => ({ organizationId, environment: "sandbox" as const, endpointId });

  /** A delivery of a fresh event to the endpoint, as the worker leaves it after `attemptCount` attempts. */
  async function delivery(data: {
    status: "pending" | "succeeded" | "failed" | "cancelled";
    attemptCount?: number;
    nextAttemptAt?: Date | null;
    leaseExpiresAt?: Date | null;
    leaseOwner?: string;
    endpoint?: string;
  }) {
    const eventId = await emitEvent(database.db, { organizationId, environment: "sandbox", type: "ENDPOINT_TEST", data: { n: Math.random() } });
    return database.db.delivery.create({
      data: {
        id: newId("dlv"),
        organizationId,
        environment: "sandbox",
        endpointId: data.endpoint ?? endpointId,
        eventId,
        status: data.status,
        attemptCount: data.attemptCount ?? 1,
        nextAttemptAt: data.nextAttemptAt === undefined ? new Date(Date.now() + 2 * HOUR) : data.nextAttemptAt,
        leaseOwner: data.leaseExpiresAt ? (data.leaseOwner ?? "worker-1") : null,
        leaseExpiresAt: data.leaseExpiresAt ?? null,
      },
    });
  }

  it("makes a retrying delivery due now, so the dispatcher picks it up", async () => {
    const waiting = await delivery({ status: "pending", attemptCount: 3 });
    expect((await dueDeliveries(database.db, 100)).map((d) => d.id)).not.toContain(waiting.id);
    const now = new Date();
    const result = await retryNow(database.db, scope(), waiting.id, now);
    expect(result).toEqual({ ok: true, nextAttemptAt: now });
    const stored = await database.db.delivery.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(stored.nextAttemptAt?.getTime()).toBe(now.getTime());
    // Nothing else moves: the attempt count and status stay as they were (it is not a resend).
    expect(stored.status).toBe("pending");
    expect(stored.attemptCount).toBe(3);
    expect((await dueDeliveries(database.db, 100)).map((d) => d.id)).toContain(waiting.id);
  });

  it("refuses a delivered or finally failed delivery, saying why, and leaves it untouched", async () => {
    for (const status of ["succeeded", "failed"] as const) {
      const done = await delivery({ status, nextAttemptAt: null });
      const result = await retryNow(database.db, scope(), done.id);
      expect(result).toMatchObject({ ok: false, code: "DELIVERY_NOT_PENDING", status });
      expect(result.ok ? "" : result.message).toMatch(
        status === "succeeded" ? /it was delivered.*Resend it instead/ : /failed after its last attempt.*Resend it instead/,
      );
      const stored = await database.db.delivery.findUniqueOrThrow({ where: { id: done.id } });
      expect(stored.status).toBe(status);
      expect(stored.nextAttemptAt).toBeNull();
    }
  });

  it("does not take a delivery from a worker that holds it, and does once the lease has run out", async () => {
    const next = new Date(Date.now() + HOUR);
    const leaseExpiresAt = new Date(Date.now() + 60_000);
    const held = await delivery({ status: "pending", nextAttemptAt: next, leaseExpiresAt });
    const result = await retryNow(database.db, scope(), held.id);
    expect(result).toMatchObject({ ok: false, code: "DELIVERY_IN_FLIGHT", leaseExpiresAt });
    expect((await database.db.delivery.findUniqueOrThrow({ where: { id: held.id } })).nextAttemptAt?.getTime()).toBe(next.getTime());

    const later = new Date(leaseExpiresAt.getTime() + 1000);
    expect(await retryNow(database.db, scope(), held.id, later)).toEqual({ ok: true, nextAttemptAt: later });
  });

  it("takes a delivery over from an Inngest chain that sleeps until its next attempt, but not from one that is attempting", async () => {
    const next = new Date(Date.now() + HOUR);
    const holdUntil = new Date(next.getTime() + 10 * 60_000);
    const sleeping = await delivery({
      status: "pending",
      attemptCount: 2,
      nextAttemptAt: next,
      leaseExpiresAt: holdUntil,
      leaseOwner: `${SLEEPING_HOLD}run_A`,
    });
    expect((await dueDeliveries(database.db, 100)).map((d) => d.id)).not.toContain(sleeping.id);
    const now = new Date();
    expect(await retryNow(database.db, scope(), sleeping.id, now)).toEqual({ ok: true, nextAttemptAt: now });
    const stored = await database.db.delivery.findUniqueOrThrow({ where: { id: sleeping.id } });
    expect(stored).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, attemptCount: 2 });
    // The dispatcher starts a fresh chain; the sleeping one finds its hold gone when it wakes.
    expect((await dueDeliveries(database.db, 100)).map((d) => d.id)).toContain(sleeping.id);
    expect(await resumeHold(database.db, sleeping.id, "run_A", holdUntil)).toBe(false);

    const attempting = await delivery({ status: "pending", nextAttemptAt: new Date(), leaseExpiresAt: holdUntil, leaseOwner: "attempting:run_B" });
    expect(await retryNow(database.db, scope(), attempting.id)).toMatchObject({ ok: false, code: "DELIVERY_IN_FLIGHT" });
    expect((await database.db.delivery.findUniqueOrThrow({ where: { id: attempting.id } })).leaseOwner).toBe("attempting:run_B");
  });

  it("reads another endpoint's, environment's or organization's delivery as missing", async () => {
    const elsewhere = await delivery({ status: "pending", endpoint: otherEndpointId });
    const before = (await database.db.delivery.findUniqueOrThrow({ where: { id: elsewhere.id } })).nextAttemptAt;
    for (const wrong of [
      scope(),
      { ...scope(), environment: "production" as const, endpointId: otherEndpointId },
      { ...scope(), organizationId: otherOrganizationId, endpointId: otherEndpointId },
    ]) {
      const result = await retryNow(database.db, wrong, elsewhere.id);
      expect(result).toMatchObject({ ok: false, code: "DELIVERY_NOT_FOUND" });
    }
    expect((await database.db.delivery.findUniqueOrThrow({ where: { id: elsewhere.id } })).nextAttemptAt).toEqual(before);
    expect(await retryNow(database.db, { ...scope(), endpointId: otherEndpointId }, elsewhere.id)).toMatchObject({ ok: true });
  });
});

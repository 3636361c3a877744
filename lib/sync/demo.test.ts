// The demo organization on a fresh `npm run dev`: one connection per demo sandbox account and, with
// the help desk, a sync job to try; each made once, and one a member deletes stays deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { DEMO_ORGANIZATION, ensureDemoData } from "@/lib/db/seed";
import { DEMO_ACCOUNTS, startDemoSandbox } from "@/lib/sandbox/standalone";
import type { SandboxServer } from "@/lib/sandbox/server";
import { ensureDemoConnections } from "./demo";
import { createSyncEngine } from "./engine";

describe("demo data", () => {
  let database: TestDatabase;
  let sandbox: SandboxServer;
  beforeAll(async () => {
    [database, sandbox] = await Promise.all([createTestDatabase("pglite"), startDemoSandbox({ port: 0, log: () => undefined })]);
    await ensureDemoData(database.db, { TRIBUTARY_ADMIN_PASSWORD: "demo-password-123" });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  it("connects each demo account and adds a sync job once, and what is deleted stays deleted", async () => {
    const engine = createSyncEngine({ db: database.db, sandboxUrl: sandbox.url });
    expect(await ensureDemoConnections(engine)).toHaveLength(DEMO_ACCOUNTS.length);
    const organization = await database.db.organization.findUniqueOrThrow({ where: { slug: DEMO_ORGANIZATION.slug } });
    // One per platform, each under its demo account's name (Xero's is an organisation, named by its tenant id).
    const connections = await database.db.connection.findMany({
      where: { organizationId: organization.id },
      select: { platform: true, platformAccountId: true, accountName: true },
    });
    expect(connections.map((c) => c.platform).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.platform).sort());
    expect(connections.find((c) => c.platform === "xero")).toMatchObject({
      platformAccountId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-/),
      accountName: expect.any(String),
    });
    const jobs = await database.db.syncJob.findMany({ where: { organizationId: organization.id } });
    expect(jobs.map((job) => [job.name, job.category, job.environment])).toEqual([["Tickets with comments", "ticketing", "sandbox"]]);

    await database.db.syncJob.delete({ where: { id: jobs[0].id } });
    expect(await ensureDemoConnections(engine)).toEqual([]);
    expect(await database.db.syncJob.count({ where: { organizationId: organization.id } })).toBe(0);
  });
});

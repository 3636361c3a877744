import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing";
import { getDb } from "@/lib/db/client";
import { heartbeat } from "./heartbeat";

describe("heartbeat function", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    process.env.DATABASE_URL = database.url;
  });

  afterAll(async () => {
    await getDb().$disconnect();
    await database?.close();
  });

  it("runs through Inngest's execution engine and reports the database", async () => {
    const engine = new InngestTestEngine({ function: heartbeat });
    const { result, error } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ database: "ok", queuedRuns: 0 });
    expect((result as { databaseLatencyMs: number }).databaseLatencyMs).toBeGreaterThanOrEqual(0);
  });
});

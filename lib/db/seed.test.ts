import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations } from "./migrate";
import { ensureDemoData } from "./seed";
import { authenticate } from "@/lib/auth/credentials";

describe("first start and restart on the embedded database", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-seed-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function boot<T>(work: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "pglite") });
    const db = createDb(embedded.url, { max: 2 });
    try {
      await applyMigrations(embedded.url);
      return await work(db);
    } finally {
      await db.$disconnect();
      await embedded.stop();
    }
  }

  it("creates the demo organization and admin once, and a restart keeps them and everything else", async () => {
    const created = await boot((db) => ensureDemoData(db, {}));
    expect(created).toMatchObject({ email: "admin@tributary.local", organizationName: "Demo Company" });
    expect(created?.password).toMatch(/^[\w-]{16}$/);

    const afterRestart = await boot(async (db) => ({
      again: await ensureDemoData(db, {}),
      users: await db.user.count(),
      environments: (await db.environment.findMany({ orderBy: { kind: "asc" } })).map((e) => e.kind),
      signIn: await authenticate(db, { email: created?.email, password: created?.password }, { address: "127.0.0.1" }),
      admin: await db.user.findFirstOrThrow({ select: { passwordChangeRequired: true } }),
    }));
    expect(afterRestart.again).toBeNull();
    expect(afterRestart.users).toBe(1);
    expect(afterRestart.environments).toEqual(["sandbox", "production"]);
    expect(afterRestart.signIn).toMatchObject({ status: "signed_in", user: { email: "admin@tributary.local" } });
    // The generated password, printed in the server's log, is temporary: the first sign-in replaces it.
    expect(afterRestart.admin.passwordChangeRequired).toBe(true);
    // Two boots of an embedded database from disk, each applying the migrations: 20-30 s on a loaded machine.
  }, 90_000);

  it("refuses a weak TRIBUTARY_ADMIN_PASSWORD by name, and keeps a good one as chosen: not temporary, not printed", async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: null });
    const db = createDb(embedded.url, { max: 2 });
    try {
      await applyMigrations(embedded.url);
      await expect(ensureDemoData(db, { TRIBUTARY_ADMIN_PASSWORD: "short" })).rejects.toThrow(/^TRIBUTARY_ADMIN_PASSWORD: Password must be at least 12/);
      expect(await db.user.count()).toBe(0);
      const created = await ensureDemoData(db, { TRIBUTARY_ADMIN_PASSWORD: "the operator's own choice" });
      expect(created?.password).toBeNull();
      expect(await db.user.findFirstOrThrow({ select: { passwordChangeRequired: true } })).toEqual({ passwordChangeRequired: false });
    } finally {
      await db.$disconnect();
      await embedded.stop();
    }
  });
});

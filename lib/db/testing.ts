// Databases for integration tests: each test file gets its own, never shared. PGlite in memory
// always; a fresh database on the PostgreSQL at TEST_DATABASE_URL too when that is set (CI sets it),
// so every integration test runs on both engines Tributary supports.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations } from "./migrate";

export type TestDatabaseKind = "pglite" | "postgresql";

export interface TestDatabase {
  kind: TestDatabaseKind;
  url: string;
  db: Db;
  close(): Promise<void>;
}

export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgresql"] : ["pglite"];
}

export interface EmptyDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database with nothing in it, not even the migrations. */
export async function createEmptyDatabase(kind: TestDatabaseKind): Promise<EmptyDatabase> {
  if (kind === "pglite") {
    const embedded = await startEmbeddedPostgres({ dataDir: null });
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `tributary_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`) };
}

/** A migrated database and a Prisma client on it. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(kind);
  return ready(kind, empty.url, empty.drop);
}

async function ready(kind: TestDatabaseKind, url: string, teardown: () => Promise<void>): Promise<TestDatabase> {
  await applyMigrations(url);
  const db = createDb(url, { max: 5 });
  return {
    kind,
    url,
    db,
    async close() {
      await db.$disconnect();
      await teardown();
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

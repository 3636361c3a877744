// The migrations and schema.prisma must agree, and they must apply cleanly to both engines Tributary
// runs on: PGlite always, and a fresh database on the PostgreSQL at TEST_DATABASE_URL when it is set.
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, type EmptyDatabase } from "./testing";
import { applyMigrations, createMigration, diffMigrationsToSchema } from "./migrate";

// Each diff starts an in-memory PGlite as its shadow database: seconds each.
const DIFF_TIMEOUT = 120_000;
const APPLY_TIMEOUT = 60_000;

const migrationsDir = path.resolve("prisma/migrations");

describe("schema.prisma and the migrations", () => {
  it(
    "schema.prisma and the migrations agree",
    async () => {
      const diff = await diffMigrationsToSchema();
      expect(diff, "schema.prisma changed without a migration: run `npm run db:diff -- <name>`").toBe("");
    },
    DIFF_TIMEOUT,
  );

  it(
    "a field added to schema.prisma without a migration shows up in the diff",
    async () => {
      await withTempDir(async (dir) => {
        const schemaPath = await writeSchemaWithProbeField(dir);
        expect(await diffMigrationsToSchema({ schemaPath })).toMatch(/ALTER TABLE "organizations" ADD COLUMN\s+"probe" TEXT/);
      });
    },
    DIFF_TIMEOUT,
  );

  it(
    "createMigration writes the diff as a new migration folder",
    async () => {
      await withTempDir(async (dir) => {
        const schemaPath = await writeSchemaWithProbeField(dir);
        const tempMigrations = path.join(dir, "migrations");
        await cp(migrationsDir, tempMigrations, { recursive: true });
        const created = await createMigration("add_probe", { schemaPath, migrationsDir: tempMigrations });
        expect(created?.dir).toMatch(/[/\\]\d{14}_add_probe$/);
        expect(await readFile(path.join(created!.dir, "migration.sql"), "utf8")).toBe(created!.sql);
        expect(created!.sql).toMatch(/ADD COLUMN\s+"probe" TEXT/);
      });
    },
    DIFF_TIMEOUT,
  );

  it("createMigration refuses a name that is not lowercase letters, digits and underscores", async () => {
    await expect(createMigration("Add-Probe")).rejects.toThrow(/^Invalid migration name "Add-Probe"/);
  });
});

type Database = EmptyDatabase;

describe("applying the migrations to a fresh PGlite", () => {
  describeApply(() => createEmptyDatabase("pglite"));
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.runIf(postgresUrl)("applying the migrations to a fresh PostgreSQL database (TEST_DATABASE_URL)", () => {
  describeApply(() => createEmptyDatabase("postgresql"));
});

describe.runIf(postgresUrl)("a PostgreSQL shadow database for the diff (TEST_DATABASE_URL)", () => {
  it(
    "is wiped before each diff, so a second diff agrees too",
    async () => {
      const shadow = await createEmptyDatabase("postgresql");
      try {
        expect(await diffMigrationsToSchema({ shadowDatabaseUrl: shadow.url })).toBe("");
        expect(await diffMigrationsToSchema({ shadowDatabaseUrl: shadow.url })).toBe("");
      } finally {
        await shadow.drop();
      }
    },
    DIFF_TIMEOUT,
  );
});

describe("a database that cannot be reached", () => {
  it(
    "fails with the URL, its password masked",
    async () => {
      const port = await closedPort();
      const error = await applyMigrations(`postgresql://tributary:s3cret-pw@127.0.0.1:${port}/tributary`).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(`Cannot reach the database at postgresql://tributary:***@127.0.0.1:${port}/tributary: `);
      expect((error as Error).message).not.toContain("s3cret-pw");
    },
    APPLY_TIMEOUT,
  );
});

/** The same checks on any engine: `open` gives a fresh, empty database. */
function describeApply(open: () => Promise<Database>): void {
  let database: Database;
  let client: pg.Client;

  beforeAll(async () => {
    database = await open();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  }, APPLY_TIMEOUT);

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  }, APPLY_TIMEOUT);

  it(
    "creates the tables and records every migration in _prisma_migrations",
    async () => {
      const names = await migrationNames(migrationsDir);
      expect(await applyMigrations(database.url)).toEqual({ applied: names });

      const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
      expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(["connections", "records", "_prisma_migrations"]));
      const history = await client.query<{ migration_name: string }>(
        "select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null order by migration_name",
      );
      expect(history.rows.map((row) => row.migration_name)).toEqual(names);
    },
    APPLY_TIMEOUT,
  );

  it(
    "applies nothing the second time",
    async () => {
      expect(await applyMigrations(database.url)).toEqual({ applied: [] });
    },
    APPLY_TIMEOUT,
  );

  it(
    "refuses a migration that changed after it was applied",
    async () => {
      await withTempDir(async (dir) => {
        await cp(migrationsDir, dir, { recursive: true });
        const [first] = await migrationNames(dir);
        await appendFile(path.join(dir, first, "migration.sql"), "\n-- edited\n");
        await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(
          `Migration ${first} was changed after it was applied to this database`,
        );
      });
    },
    APPLY_TIMEOUT,
  );

  // Last: it leaves a failed migration in this database's history.
  it(
    "rolls a failing migration back, names it, and refuses to go on until it is resolved",
    async () => {
      await withTempDir(async (dir) => {
        await cp(migrationsDir, dir, { recursive: true });
        await mkdir(path.join(dir, "29991231000000_broken"));
        await writeFile(path.join(dir, "29991231000000_broken", "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT * FROM missing_table;\n");

        await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(/^Migration 29991231000000_broken failed: /);
        const halfDone = await client.query("select to_regclass('half_done') as name");
        expect(halfDone.rows[0].name).toBeNull();
        await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow("Migration 29991231000000_broken failed on this database");
      });
    },
    APPLY_TIMEOUT,
  );
}

async function migrationNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A copy of schema.prisma with one more column on Organization. */
async function writeSchemaWithProbeField(dir: string): Promise<string> {
  const schema = await readFile("prisma/schema.prisma", "utf8");
  const changed = schema.replace(/^model Organization \{\n/m, "$&  probe String?\n");
  expect(changed).not.toBe(schema);
  const schemaPath = path.join(dir, "schema.prisma");
  await writeFile(schemaPath, changed);
  return schemaPath;
}

async function withTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "tributary-migrate-"));
  try {
    await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}

// The embedded PostgreSQL behind its socket server, used the way the app and the worker use it:
// many pooled connections sending parameterized queries at once. Without serializing protocol cycles
// per connection, their Parse and Bind messages interleaved on PGlite's single session.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

const run = promisify(execFile);

describe("the embedded database under concurrent connections", () => {
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;
  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: null });
    pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
    await pool.query("create table items (id int primary key, label text, at timestamptz)");
  });
  afterAll(async () => {
    await pool?.end();
    await embedded?.stop();
  });

  it("answers 400 concurrent parameterized queries of different shapes, each correctly", async () => {
    const work = Array.from({ length: 400 }, (_, i) => {
      // Large parameters arrive in several TCP chunks: the window in which another connection's Parse slipped in.
      if (i % 3 === 0)
        return pool
          .query("insert into items (id, label, at) values ($1, $2, $3) returning id", [i, `item ${i} `.padEnd(200_000, "x"), new Date()])
          .then((r) => r.rows[0].id === i);
      if (i % 3 === 1) return pool.query("select $1::int + $2::int as sum", [i, 1]).then((r) => r.rows[0].sum === i + 1);
      return pool.query("select $1::text as label", [`label ${i}`]).then((r) => r.rows[0].label === `label ${i}`);
    });
    const results = await Promise.all(work.map((query) => query.catch(() => false)));
    expect(results.filter((ok) => !ok)).toHaveLength(0);
    expect((await pool.query("select count(*)::int as n from items")).rows[0].n).toBe(134);
  });

  it("keeps transactions isolated and serves everyone after a client disconnects mid-transaction", async () => {
    const client = await pool.connect();
    await client.query("begin");
    await client.query("insert into items (id, label) values ($1, $2)", [10_001, "uncommitted"]);
    // Others are served once the transaction ends; the connection dies without committing.
    const others = Promise.all([pool.query("select count(*)::int as n from items where id = $1", [10_001]), pool.query("select $1::int as one", [1])]);
    client.release(new Error("gone"));
    const [[count, one]] = await Promise.all([others]);
    expect(count.rows[0].n).toBe(0);
    expect(one.rows[0].one).toBe(1);
  });
});

describe("the embedded database's password", () => {
  let embedded: EmbeddedPostgres;
  const password = "right-pässword";
  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: null, password });
  });
  afterAll(() => embedded?.stop());

  const withCredentials = (user: string, secret: string) => {
    const url = new URL(embedded.url);
    url.username = user;
    url.password = encodeURIComponent(secret);
    return url.toString();
  };
  const connect = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return (await client.query<{ user: string }>("select current_user as user")).rows[0].user;
    } finally {
      await client.end().catch(() => {});
    }
  };

  it("lets in the configured user with the configured password, through pg and Prisma's adapter", async () => {
    expect(embedded.url).toBe(withCredentials("postgres", password));
    expect(await connect(embedded.url)).toBe("postgres");
    const db = createDb(embedded.url, { max: 1 });
    try {
      expect(await db.$queryRaw`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses a wrong password and a wrong user with PostgreSQL's own error, 28P01", async () => {
    await expect(connect(withCredentials("postgres", "postgres"))).rejects.toMatchObject({
      code: "28P01",
      message: 'password authentication failed for user "postgres"',
    });
    await expect(connect(withCredentials("admin", password))).rejects.toMatchObject({
      code: "28P01",
      message: 'password authentication failed for user "admin"',
    });
    // Refused connections leave the server serving the others.
    expect(await connect(embedded.url)).toBe("postgres");
  });

  it("lets psql in with the password and refuses it without", async () => {
    const { stdout } = await run("psql", [embedded.url, "-Atc", "select 40 + 2"]);
    expect(stdout.trim()).toBe("42");
    const refused = await run("psql", [withCredentials("postgres", "wrong"), "-Atc", "select 1"]).catch((error: { stderr: string }) => error);
    expect((refused as { stderr: string }).stderr).toContain('password authentication failed for user "postgres"');
  });
});

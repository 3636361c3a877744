// `npm run db:migrate`: applies the pending migrations to DATABASE_URL or, when it is unset, to the
// embedded database in .data/pglite (the one `npm run dev` uses). Any failure is one line on stderr.
import { startDatabase } from "@/lib/db/bootstrap";
import { applyMigrations } from "@/lib/db/migrate";

async function main(): Promise<void> {
  const database = await openDatabase();
  try {
    const { applied } = await applyMigrations(database.url);
    for (const name of applied) console.log(`Applied migration ${name}`);
    if (applied.length === 0) console.log("Database is up to date");
  } finally {
    await database.stop();
  }
}

async function openDatabase() {
  try {
    return await startDatabase();
  } catch (error) {
    // PGlite's files belong to one process: while `npm run dev` runs, it holds them.
    if (process.env.DATABASE_URL) throw error;
    throw new Error(`${messageOf(error)} (db:migrate opens the embedded database itself: run it while \`npm run dev\` is stopped)`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(`✖ ${messageOf(error)}`);
  process.exitCode = 1;
});

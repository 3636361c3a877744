// `npm run db:diff -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that brings the migrations up to schema.prisma. Any failure is one line on stderr.
import path from "node:path";
import { createMigration } from "@/lib/db/migrate";

async function main(args: string[]): Promise<void> {
  if (args.length !== 1) {
    throw new Error("Usage: npm run db:diff -- <name>, the name in lowercase letters, digits and underscores (e.g. add_webhook_retries)");
  }
  const created = await createMigration(args[0]);
  console.log(created ? `Wrote ${path.relative(process.cwd(), created.dir)}` : "No changes: schema.prisma and the migrations agree");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

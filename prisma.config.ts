// Prisma CLI configuration. Only `prisma generate` runs through the CLI here: migrations go through
// the WebAssembly schema engine (lib/db/migrate), because the native engine cannot be downloaded.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});

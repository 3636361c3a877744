/** @type {import('next').NextConfig} */
const nextConfig = {
  // End-to-end tests run their own dev server beside a developer's: separate build directories.
  distDir: process.env.TRIBUTARY_NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The embedded database, Prisma's driver adapter and the WebAssembly schema engine are Node
  // packages with native-like assets: load them from node_modules instead of bundling them.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@prisma/schema-engine-wasm", "pg"],
};

export default nextConfig;

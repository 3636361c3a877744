// Security headers, per route group (checked on real responses by e2e/security-headers.spec.ts):
// - every answer: `X-Content-Type-Options: nosniff`; in production also HSTS (one year, this host
//   only: other hosts of the operator's domain may not serve HTTPS). Browsers ignore HSTS over plain
//   HTTP, so a production server on http://localhost is not pinned.
// - everything but Link (dashboard pages, sign-in, app/api/dashboard, next-auth's /api/auth, the REST
//   API, static files): no framing by anyone (`frame-ancestors 'none'`, and `X-Frame-Options: DENY`
//   for browsers without CSP 3), and a Referer only to this origin.
// - Link (/link, /link/api/*, /link/oauth/callback): framed by any team's site (public/link.js opens
//   it in an iframe on their origin), and never a Referer: its URL carries the link token.
const EVERY_ANSWER = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  ...(process.env.NODE_ENV === "production" ? [{ key: "Strict-Transport-Security", value: "max-age=31536000" }] : []),
];
const NOT_FRAMED = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
];
const LINK = [
  { key: "Content-Security-Policy", value: "frame-ancestors *" },
  { key: "Referrer-Policy", value: "no-referrer" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // End-to-end tests run their own dev server beside a developer's: separate build directories.
  distDir: process.env.TRIBUTARY_NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The embedded database, Prisma's driver adapter and the WebAssembly schema engine are Node
  // packages with native-like assets: load them from node_modules instead of bundling them.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@prisma/schema-engine-wasm", "pg"],
  async headers() {
    return [
      { source: "/:path*", headers: EVERY_ANSWER },
      // Every path but /link and what is under it (`/linked` is not Link); "/" included.
      { source: "/:path((?!link$|link/).*)", headers: NOT_FRAMED },
      { source: "/link/:path*", headers: LINK },
    ];
  },
};

export default nextConfig;

import NextAuth, { type NextAuthOptions } from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };
// next-auth 4's App Router form: (request, { params }, options). Its types only describe the Pages one.
const routeHandler = NextAuth as unknown as (request: Request, context: Context, options: NextAuthOptions) => Promise<Response>;

// Options are built per request, not at import: `next build` must not need the secret key.
function handler(request: Request, context: Context) {
  return routeHandler(request, context, authOptions());
}

export { handler as GET, handler as POST };

import NextAuth, { type NextAuthOptions } from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { BodyTooLargeError, bodyTooLargeResponse, readBodyText } from "@/lib/input";

type Context = { params: Promise<{ nextauth: string[] }> };
// next-auth 4's App Router form: (request, { params }, options). Its types only describe the Pages one.
const routeHandler = NextAuth as unknown as (request: Request, context: Context, options: NextAuthOptions) => Promise<Response>;

/** A sign-in form: an email, a password, a CSRF token and a callback URL. Anyone can post here. */
const SIGN_IN_BODY_LIMIT = 16 * 1024;

// Options are built per request, not at import: `next build` must not need the secret key.
async function handler(request: NextRequest, context: Context) {
  if (request.method === "POST") {
    // next-auth reads the whole body itself: it gets it from here, read within the limit.
    let text: string;
    try {
      text = await readBodyText(request, SIGN_IN_BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
      throw error;
    }
    request = new NextRequest(request.url, { method: "POST", headers: request.headers, body: text });
  }
  return routeHandler(request, context, authOptions());
}

export { handler as GET, handler as POST };

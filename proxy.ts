// A convenience redirect to sign-in for dashboard pages without a session cookie. It is not the
// security boundary: every page, route handler and action checks the session again (lib/auth/context).
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { safeRedirectPath } from "@/lib/auth/callback-url";
import { sessionSecret } from "@/lib/auth/options";

export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: sessionSecret() });
  if (token) return NextResponse.next();
  const url = request.nextUrl.clone();
  // The path asked for, as the URL parser sees it; one it reads as another host (`//evil.example`) is dropped.
  const callbackUrl = safeRedirectPath(request.nextUrl.pathname + request.nextUrl.search, request.nextUrl.origin);
  url.pathname = "/sign-in";
  url.search = callbackUrl === "/" ? "" : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except sign-in, the APIs (they authenticate themselves), Link, and static files.
  matcher: ["/((?!sign-in|api/|link|_next/|favicon.ico|icon.svg|.*\\.[a-z0-9]+$).*)"],
};

// next-auth configuration: email + password (credentials provider), a JWT in an http-only cookie that
// names a server-side session (lib/auth/sessions.ts): signing in starts one, signing out ends it. The
// signing secret is derived from TRIBUTARY_SECRET_KEY unless NEXTAUTH_SECRET is set, so there is one
// secret to manage. Built lazily: importing this module must not need the key (next build).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { deriveKey } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { safeRedirectPath } from "./callback-url";
import { clientAddress } from "./client-ip";
import { authenticate } from "./credentials";
import { endSession, isSessionLive, SESSION_MAX_AGE_SECONDS, startSession } from "./sessions";
import { SIGN_IN_UNAVAILABLE, throttledSignInError } from "./sign-in-errors";

/** Thrown by the jwt callback for a token whose session has ended; next-auth then answers no session. */
class SessionEndedError extends Error {
  constructor() {
    super("The session has ended");
    this.name = "SessionEndedError";
  }
}

export function sessionSecret(): string {
  return process.env.NEXTAUTH_SECRET || deriveKey("session").toString("base64url");
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          let result;
          try {
            result = await authenticate(getDb(), credentials, { address: clientAddress(request.headers ?? {}) });
          } catch (error) {
            // next-auth would put the message in the URL it answers with: say nothing of internals.
            console.error("[tributary] sign-in failed", error);
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
          // The credentials provider's only channel for a reason is an error's message, which
          // next-auth puts in the `error` parameter of its answer (lib/auth/sign-in-errors.ts).
          if (result.status === "throttled") throw new Error(throttledSignInError(result.retryAfterSeconds));
          return result.status === "signed_in" ? result.user : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = await startSession(getDb(), user.id);
          return token;
        }
        // A read of /api/auth/session (pages check sessions in lib/auth/context.ts, not here): an
        // ended session must not be described, nor its cookie renewed. next-auth turns this error
        // into an empty answer and clears the cookie.
        if (typeof token.sid !== "string" || !(await isSessionLive(getDb(), token.sid))) throw new SessionEndedError();
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
      // Where next-auth sends the browser after sign-in and sign-out: same-origin paths only.
      redirect({ url, baseUrl }) {
        return new URL(safeRedirectPath(url, baseUrl), baseUrl).toString();
      },
    },
    logger: {
      // next-auth logs a thrown jwt callback as JWT_SESSION_ERROR with a stack: an ended session is
      // expected, not an error. Everything else is logged as next-auth's own logger does.
      error(code, metadata) {
        if (metadata instanceof SessionEndedError || (!(metadata instanceof Error) && metadata.error instanceof SessionEndedError)) return;
        console.error(`[next-auth][error][${code}]`, metadata);
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(getDb(), token.sid);
      },
    },
  };
  return options;
}

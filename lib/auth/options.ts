// next-auth configuration: email + password (credentials provider), JWT sessions in an http-only
// cookie. The signing secret is derived from TRIBUTARY_SECRET_KEY unless NEXTAUTH_SECRET is set, so
// there is one secret to manage. Built lazily: importing this module must not need the key (next build).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { deriveKey } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { authenticate } from "./credentials";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

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
        authorize: (credentials) => authenticate(getDb(), credentials),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return options;
}

import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The server-side session this token names (lib/auth/sessions.ts). */
    sid?: string;
  }
}

// Sessions end for good: a session cookie (the JWT next-auth issues, minted here by the same jwt
// callback) stops working once its session is signed out, once the password is changed from another
// session, or once it expires, although the JWT itself is still valid. A temporary password's session
// reaches no dashboard page until the password is changed.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { JWT } from "next-auth/jwt";
import { encode } from "next-auth/jwt";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";

const state = vi.hoisted(() => ({ database: null as TestDatabase | null, cookies: new Map<string, string>() }));

class Redirected extends Error {
  constructor(readonly url: string) {
    super(`redirect to ${url}`);
  }
}

vi.mock("server-only", () => ({}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Redirected(url);
  },
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (state.cookies.has(name) ? { name, value: state.cookies.get(name)! } : undefined),
    getAll: () => [...state.cookies].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => state.cookies.set(name, value),
  }),
}));
vi.mock("@/lib/db/client", async (original) => ({ ...(await original<typeof import("@/lib/db/client")>()), getDb: () => state.database!.db }));

process.env.NEXTAUTH_SECRET ??= "a test secret for signing session tokens";
const { getRequestContext, getSignedInSession, requireContext, setSessionCookie } = await import("./context");
const { authOptions, sessionSecret } = await import("./options");
const { changePassword } = await import("./credentials");
const { hashPassword } = await import("./password");

describe.each(testDatabaseKinds())("sessions on %s", (kind) => {
  let database: TestDatabase;
  let userId: string;
  const PASSWORD = "ada's long password";

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    state.database = database;
    const created = await createOrganizationWithOwner(database.db, {
      name: "Acme",
      slug: "acme",
      owner: { email: "ada@example.com", name: "Ada", passwordHash: await hashPassword(PASSWORD) },
    });
    userId = created.user.id;
  });
  afterAll(() => database?.close());
  beforeEach(() => state.cookies.clear());

  /** Signs in as next-auth does after authorize(): the jwt callback, then the encrypted cookie. */
  async function signIn(user: { id: string; email: string; name: string }): Promise<{ token: JWT; cookie: string }> {
    const jwt = authOptions().callbacks!.jwt!;
    const token = await jwt({ token: { sub: user.id, name: user.name, email: user.email }, user, account: null, trigger: "signIn" });
    return { token, cookie: await encode({ token, secret: sessionSecret() }) };
  }
  async function contextWith(cookie: string) {
    state.cookies.set("next-auth.session-token", cookie);
    return getRequestContext();
  }
  const ada = () => ({ id: userId, email: "ada@example.com", name: "Ada" });

  it("a session cookie works until its session is signed out, and only that session ends", async () => {
    const laptop = await signIn(ada());
    const phone = await signIn(ada());
    expect(laptop.token.sid).toMatch(/^ses_/);
    expect((await contextWith(laptop.cookie))?.user.email).toBe("ada@example.com");

    // next-auth's sign-out: the event receives the decoded token.
    await authOptions().events!.signOut!({ token: laptop.token, session: undefined as never });
    expect(await contextWith(laptop.cookie)).toBeNull();
    // /api/auth/session runs the jwt callback: it refuses the ended session (next-auth answers {}).
    const jwt = authOptions().callbacks!.jwt!;
    await expect(jwt({ token: laptop.token, user: undefined as never, account: null })).rejects.toThrow("The session has ended");
    expect(await jwt({ token: phone.token, user: undefined as never, account: null })).toMatchObject({ sid: phone.token.sid });
    state.cookies.clear();
    await expect(requireContext()).rejects.toMatchObject({ url: "/sign-in" });
    expect((await contextWith(phone.cookie))?.user.email).toBe("ada@example.com");
  });

  it("a password change ends every cookie made before it, the changing browser's own included; that browser gets a new one", async () => {
    const here = await signIn(ada());
    const elsewhere = await signIn(ada());
    expect(await contextWith(elsewhere.cookie)).not.toBeNull();
    const result = await changePassword(
      database.db,
      { userId, sessionId: here.token.sid! },
      { currentPassword: PASSWORD, newPassword: "ada's new password", confirmPassword: "ada's new password" },
      { address: "192.0.2.1" },
    );
    expect(result.status).toBe("changed");
    expect((result as { endedSessions: number }).endedSessions).toBeGreaterThanOrEqual(1);
    expect(await contextWith(elsewhere.cookie)).toBeNull();
    // A copy of the changing browser's old cookie: ended too.
    expect(await contextWith(here.cookie)).toBeNull();

    // The action hands the browser its new session in next-auth's cookie.
    state.cookies.clear();
    await setSessionCookie(ada(), (result as { sessionId: string }).sessionId);
    expect(state.cookies.get("next-auth.session-token")).toBeTruthy();
    expect((await getRequestContext())?.user.email).toBe("ada@example.com");
  });

  it("refuses a JWT whose session expired, names another user, or names no session", async () => {
    const expired = await signIn(ada());
    await database.db.userSession.update({ where: { id: expired.token.sid! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await contextWith(expired.cookie)).toBeNull();

    const other = await createOrganizationWithOwner(database.db, {
      name: "Other",
      slug: "other",
      owner: { email: "eve@example.com", name: "Eve", passwordHash: "x" },
    });
    const eve = await signIn({ id: other.user.id, email: "eve@example.com", name: "Eve" });
    const forged = await encode({ token: { ...eve.token, sub: userId }, secret: sessionSecret() });
    expect(await contextWith(forged)).toBeNull();

    // A token from before sessions were stored: a valid signature, no session.
    expect(await contextWith(await encode({ token: { sub: userId, email: "ada@example.com" }, secret: sessionSecret() }))).toBeNull();
  });

  it("a temporary password's session has no dashboard until the password is changed", async () => {
    const added = await createOrganizationWithOwner(database.db, {
      name: "New",
      slug: "new",
      owner: { email: "new@example.com", name: "New", passwordHash: await hashPassword("temporary-abcde-12345"), passwordChangeRequired: true },
    });
    const session = await signIn({ id: added.user.id, email: "new@example.com", name: "New" });
    expect(await contextWith(session.cookie)).toBeNull();
    await expect(requireContext()).rejects.toMatchObject({ url: "/change-password" });
    expect((await getSignedInSession())?.user).toMatchObject({ email: "new@example.com", passwordChangeRequired: true });

    const changed = await changePassword(
      database.db,
      { userId: added.user.id, sessionId: session.token.sid! },
      { currentPassword: "temporary-abcde-12345", newPassword: "now my own password", confirmPassword: "now my own password" },
      { address: "192.0.2.2" },
    );
    await setSessionCookie({ id: added.user.id, email: "new@example.com", name: "New" }, (changed as { sessionId: string }).sessionId);
    expect((await requireContext()).user.email).toBe("new@example.com");
  });

  it("authorize() signs in, refuses, and reports a lock as the error next-auth puts in its answer", async () => {
    type Authorize = (credentials: Record<string, string>, request: { headers: Record<string, string> }) => Promise<unknown>;
    const authorize = (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
    const request = { headers: { "x-forwarded-for": "203.0.113.50" } };
    expect(await authorize({ email: "nobody@example.com", password: "wrong" }, request)).toBeNull();
    for (let i = 0; i < 4; i++) await authorize({ email: "nobody@example.com", password: "wrong" }, request);
    await expect(authorize({ email: "nobody@example.com", password: "wrong" }, request)).rejects.toThrow(/^TooManyAttempts:(60|59)$/);
    // The address was counted from X-Forwarded-For.
    expect(await database.db.signInThrottle.findUniqueOrThrow({ where: { key: "ip:203.0.113.50" } })).toMatchObject({ failures: 5 });
    expect(await authorize({ email: "eve@example.com", password: "x" }, request)).toBeNull();
  });

  it("sends next-auth's redirects only to paths on this site", () => {
    const redirect = authOptions().callbacks!.redirect!;
    const baseUrl = "http://localhost:3000";
    expect(redirect({ url: "/connections?x=1", baseUrl })).toBe("http://localhost:3000/connections?x=1");
    expect(redirect({ url: "http://localhost:3000/settings", baseUrl })).toBe("http://localhost:3000/settings");
    for (const url of ["/\\evil.example/x", "/\t/evil.example/x", "//evil.example", "https://evil.example", "javascript:alert(1)"]) {
      expect(redirect({ url, baseUrl })).toBe("http://localhost:3000/");
    }
  });
});

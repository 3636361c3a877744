// The one server-action wrapper: the role check and its sentence, expected failures as refusals, an
// unexpected one logged and answered, and Next's redirect passed through untouched.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MemberRole } from "@/lib/generated/prisma/enums";

const member = vi.hoisted(() => ({ role: "viewer" as MemberRole }));

class Redirected extends Error {}

vi.mock("next/navigation", () => ({
  unstable_rethrow: (error: unknown) => {
    if (error instanceof Redirected) throw error;
  },
}));
vi.mock("@/lib/auth/context", () => ({
  requireContext: async () => ({ role: member.role }),
  hasRole: (context: { role: MemberRole }, role: MemberRole) => ({ viewer: 0, admin: 1, owner: 2 })[context.role] >= { viewer: 0, admin: 1, owner: 2 }[role],
}));

const { memberAction, refusal } = await import("./action");

class Gone extends Error {}
const spec = {
  role: "admin" as const,
  may: "change webhook endpoints",
  name: "testAction",
  failed: "The endpoint could not be saved.",
  expected: (error: unknown) => (error instanceof Gone ? { ok: false as const, message: "It is gone." } : undefined),
};

describe("memberAction", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuses a member below the role with who may, and does not run", async () => {
    member.role = "viewer";
    const run = vi.fn(async () => ({ ok: true as const }));
    expect(await memberAction(spec, run)).toEqual({ ok: false, message: "Only owners and admins can change webhook endpoints." });
    expect(run).not.toHaveBeenCalled();
    expect(refusal("owner", "remove members")).toBe("Only owners can remove members.");
  });

  it("answers what the action answers, expected failures as their refusal, anything else as a logged sentence", async () => {
    member.role = "owner";
    expect(await memberAction<{ id: string }>(spec, async () => ({ ok: true, id: "x" }))).toEqual({ ok: true, id: "x" });
    expect(
      await memberAction(spec, async () => {
        throw new Gone();
      }),
    ).toEqual({ ok: false, message: "It is gone." });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(
      await memberAction(spec, async () => {
        throw new Error("connection refused");
      }),
    ).toEqual({ ok: false, message: "The endpoint could not be saved. Try again in a moment." });
    expect(logged).toHaveBeenCalledWith("testAction", expect.any(Error));
  });

  it("lets Next's redirect through", async () => {
    member.role = "admin";
    await expect(
      memberAction(spec, async () => {
        throw new Redirected("/connections");
      }),
    ).rejects.toBeInstanceOf(Redirected);
  });
});

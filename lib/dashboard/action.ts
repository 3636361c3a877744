// One way a dashboard server action begins and ends. It checks the member's session and role first
// (a refusal says who may), runs, and answers an ActionResult; an expected failure of the library it
// calls (a missing row, a conflict) is mapped to a sentence, anything else is logged and answered
// with one: a server action never throws into the page. Next's own control flow (redirect(), the
// sign-in redirect of requireContext) passes through.
//
// A form driven by useActionState keeps its own state type (it carries the values typed back), but
// takes its refusal sentence from refusal() here.
import { unstable_rethrow } from "next/navigation";
import { hasRole, requireContext, type RequestContext } from "@/lib/auth/context";
import type { MemberRole } from "@/lib/generated/prisma/enums";

/** Why an action did not happen: a sentence for the member, and the form's fields at fault if any. */
export interface ActionRefusal {
  ok: false;
  message: string;
  fieldErrors?: Record<string, string>;
}

/** What every action answers: success with what it made, or a refusal. */
export type ActionResult<T = object> = ({ ok: true } & T) | ActionRefusal;

export interface ActionSpec {
  /** The least role that may act: viewers read, admins change, owners manage members. */
  role: MemberRole;
  /** What that role may do, as the refusal ends: "change webhook endpoints". */
  may: string;
  /** The action's name in the server log when it fails unexpectedly. */
  name: string;
  /** The sentence shown when it fails unexpectedly ("Try again in a moment." follows it). */
  failed?: string;
  /** Expected failures of the library it calls, as refusals; undefined: unexpected. */
  expected?: (error: unknown) => ActionRefusal | undefined;
}

/** "Only owners can add, change or remove members." */
export function refusal(role: MemberRole, may: string): string {
  return role === "owner" ? `Only owners can ${may}.` : role === "admin" ? `Only owners and admins can ${may}.` : `Sign in to ${may}.`;
}

export async function memberAction<T extends object = object>(
  spec: ActionSpec,
  run: (context: RequestContext) => Promise<ActionResult<NoInfer<T>>>,
): Promise<ActionResult<T>> {
  const context = await requireContext();
  if (!hasRole(context, spec.role)) return { ok: false, message: refusal(spec.role, spec.may) };
  try {
    return await run(context);
  } catch (error) {
    unstable_rethrow(error);
    const expected = spec.expected?.(error);
    if (expected) return expected;
    console.error(spec.name, error);
    return { ok: false, message: `${spec.failed ?? "That did not work."} Try again in a moment.` };
  }
}

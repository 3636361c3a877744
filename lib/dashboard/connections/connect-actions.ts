"use server";

// "Connect an account" on the Connections list: a link session for the member's organization and
// environment, then the public token Link hands back exchanged here, server side, as a team's backend
// would. The access token travels to the browser once, in the answer, to be copied.
import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { createLinkSession, exchangePublicToken, LinkError } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";
import { publicTokenInput, type ActionResult, type ExchangeResult } from "./schema";

const NOT_ALLOWED = "Only owners and admins can connect accounts.";

export async function startLinkAction(): Promise<ActionResult<{ token: string }>> {
  const context = await requireContext();
  if (!hasRole(context, "admin")) return { ok: false, message: NOT_ALLOWED };
  try {
    const session = await createLinkSession(getEngine(), { organizationId: context.organization.id, environment: context.environment }, {});
    return { ok: true, message: "Link is open", token: session.token };
  } catch (error) {
    if (error instanceof LinkError) return { ok: false, message: error.message.replace(/^platforms: /, "") };
    console.error("startLinkAction", error);
    return { ok: false, message: "Link could not be opened. Try again in a moment." };
  }
}

export async function exchangeAction(publicToken: string): Promise<ExchangeResult> {
  const context = await requireContext();
  if (!hasRole(context, "admin")) return { ok: false, message: NOT_ALLOWED };
  const parsed = publicTokenInput.safeParse(publicToken);
  if (!parsed.success) return { ok: false, message: "Link answered without a public token. Connect the account again." };
  try {
    const exchanged = await exchangePublicToken(getEngine(), { organizationId: context.organization.id, environment: context.environment }, parsed.data);
    revalidatePath("/connections");
    return {
      ok: true,
      message: exchanged.is_relink ? "Account re-linked" : "Account connected",
      connectionId: exchanged.connection_id,
      platform: exchanged.platform,
      accessToken: exchanged.access_token,
      isRelink: exchanged.is_relink,
    };
  } catch (error) {
    if (error instanceof LinkError)
      return {
        ok: false,
        message:
          "The account was connected and is in the list, but its public token could not be exchanged for an access token: a public token works once, within 10 minutes.",
      };
    console.error("exchangeAction", error);
    return { ok: false, message: "The public token could not be exchanged. Try again in a moment." };
  }
}

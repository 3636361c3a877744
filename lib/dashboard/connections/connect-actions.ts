"use server";

// "Connect an account" on the Connections list: a link session for the member's organization and
// environment, then the public token Link hands back exchanged here, server side, as a team's backend
// would. The access token travels to the browser once, in the answer, to be copied.
import { revalidatePath } from "next/cache";
import { memberAction } from "@/lib/dashboard/action";
import { createLinkSession, exchangePublicToken, LinkError } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";
import { publicTokenInput, type ActionResult, type ExchangeResult } from "./schema";

const CONNECT = { role: "admin", may: "connect accounts" } as const;

export async function startLinkAction(): Promise<ActionResult<{ token: string }>> {
  const expected = (error: unknown) => (error instanceof LinkError ? { ok: false as const, message: error.message.replace(/^platforms: /, "") } : undefined);
  return memberAction({ ...CONNECT, name: "startLinkAction", failed: "Link could not be opened.", expected }, async (context) => {
    const session = await createLinkSession(getEngine(), { organizationId: context.organization.id, environment: context.environment }, {});
    return { ok: true, message: "Link is open", token: session.token };
  });
}

export async function exchangeAction(publicToken: string): Promise<ExchangeResult> {
  const expected = (error: unknown) =>
    error instanceof LinkError
      ? {
          ok: false as const,
          message:
            "The account was connected and is in the list, but its public token could not be exchanged for an access token: a public token works once, within 10 minutes.",
        }
      : undefined;
  return memberAction({ ...CONNECT, name: "exchangeAction", failed: "The public token could not be exchanged.", expected }, async (context) => {
    const parsed = publicTokenInput.safeParse(publicToken);
    if (!parsed.success) return { ok: false, message: "Link answered without a public token. Connect the account again." };
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
  });
}

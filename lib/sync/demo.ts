// Demo connections: on a fresh `npm run dev`, the demo organization gets one sandbox connection to
// each demo account of the sandbox platforms, so the dashboard fills with real syncs from the start
// (under each platform's real rate limit, as a team would see them). Each is made once; one a member
// deletes stays deleted. With the help desk comes a sync job to try, made once too.
import { DEMO_ORGANIZATION } from "@/lib/db/seed";
import { getPlatform } from "@/lib/platforms/catalog";
import { DEMO_ACCOUNTS } from "@/lib/sandbox/standalone";
import { createJob } from "@/lib/jobs/store";
import { TICKETS_AND_COMMENTS } from "@/lib/jobs/templates";
import { createConnection } from "./connections";
import type { SyncEngine } from "./engine";
import { registerSandboxWebhooks } from "./platform-webhooks";

export async function ensureDemoConnections(engine: SyncEngine): Promise<string[]> {
  const { db, sandboxUrl } = engine;
  if (!sandboxUrl) return [];
  const organization = await db.organization.findUnique({ where: { slug: DEMO_ORGANIZATION.slug } });
  if (!organization) return [];
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.connection.findFirst({
      where: { organizationId: organization.id, environment: "sandbox", platform: account.platform, platformAccountId: account.id },
    });
    if (existing) continue;
    const response = await engine.fetch(`${sandboxUrl}/control/accounts/${account.platform}/${account.id}/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    if (response.status !== 201) throw new Error(`The sandbox gave no token for ${account.platform} ${account.id} (${response.status})`);
    const token = (await response.json()) as { access_token: string; refresh_token: string; expires_at: string };
    const { id } = await createConnection(db, {
      organizationId: organization.id,
      environment: "sandbox",
      platform: account.platform,
      platformAccountId: account.id,
      accountName: account.name,
      endUserId: "demo-user",
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: Date.parse(token.expires_at), scopes: [] },
    });
    await registerSandboxWebhooks(engine, id);
    created.push(id);
    // The first connection of the template's category (the help desk) comes with a sync job to try
    // (runs need a webhook endpoint).
    if (
      getPlatform(account.platform)?.category === TICKETS_AND_COMMENTS.category &&
      (await db.syncJob.count({ where: { organizationId: organization.id, environment: "sandbox" } })) === 0
    ) {
      await createJob(db, { organizationId: organization.id, environment: "sandbox" }, TICKETS_AND_COMMENTS);
    }
  }
  return created;
}

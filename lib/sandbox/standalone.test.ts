import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDemoSandbox } from "./standalone";

describe("the sandbox across a restart", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-sandbox-"));
  const stateFile = path.join(dir, "sandbox.json");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("keeps accounts, tokens, changes and every record's timestamps", async () => {
    const first = await startDemoSandbox({ port: 0, stateFile });
    const { access_token } = (await (await post(`${first.url}/control/accounts/shopify/demo-store/tokens`, {})).json()) as { access_token: string };
    await post(`${first.url}/control/accounts`, { platform: "zendesk", id: "extra-desk", size: 40, seed: 9 });
    await post(`${first.url}/control/accounts/shopify/demo-store/changes`, { random: 25, seed: 1 });
    const truthBefore = await (await fetch(`${first.url}/control/accounts/shopify/demo-store/ground-truth`)).json();
    await first.stop();

    const second = await startDemoSandbox({ port: 0, stateFile });
    try {
      const truthAfter = await (await fetch(`${second.url}/control/accounts/shopify/demo-store/ground-truth`)).json();
      expect(truthAfter).toEqual(truthBefore);
      const orders = await fetch(`${second.url}/shopify/demo-store/admin/api/2024-10/orders.json?limit=1&status=any`, {
        headers: { "X-Shopify-Access-Token": access_token },
      });
      expect(orders.status).toBe(200);
      expect((await fetch(`${second.url}/control/accounts/zendesk/extra-desk`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

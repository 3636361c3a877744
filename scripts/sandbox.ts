// npm run sandbox — the emulated platforms alone (npm run dev starts them too).
import path from "node:path";
import { dataDir } from "@/lib/config";
import { redactProcessOutput } from "@/lib/log/redact";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { sandboxPort, startDemoSandbox, DEMO_ACCOUNTS } from "@/lib/sandbox/standalone";

async function main() {
  // Failed requests are logged with their URL, whose query may hold a token or an OAuth code.
  redactProcessOutput();
  const port = sandboxPort();
  const server = await startDemoSandbox({ port, stateFile: path.join(dataDir(), "sandbox.json"), log: (line) => console.error(line) });
  console.log(
    `[sandbox] Emulated platforms on ${server.url}: ${SANDBOX_PLATFORMS.map((platform) => `/${platform.key}`).join(", ")}; control API at ${server.url}/control/accounts`,
  );
  for (const account of DEMO_ACCOUNTS)
    console.log(`[sandbox]   ${account.platform} account "${account.id}" (${account.name}), ${account.size.toLocaleString()} records`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`✖ The sandbox could not start: ${message.includes("EADDRINUSE") ? `port ${sandboxPort()} is in use (set TRIBUTARY_SANDBOX_PORT)` : message}`);
  process.exit(1);
});

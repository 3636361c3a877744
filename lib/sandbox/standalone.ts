// The sandbox as `npm run sandbox` and `npm run dev` run it: every emulated platform on one port, with
// a demo account on each, so the sandbox environment has something to connect to from the first start.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AccountSnapshot, NewAccount } from "./accounts";
import { SANDBOX_PLATFORMS } from "./platforms";
import { startSandboxServer, type SandboxServer } from "./server";

/** Each platform's demo account (its emulator names it), 5,000 records over two years. */
export const DEMO_ACCOUNTS: Omit<NewAccount, "rateLimited">[] = SANDBOX_PLATFORMS.map((platform, i) => ({
  platform: platform.key,
  ...platform.demoAccount,
  seed: i + 1,
  size: 5_000,
  historyMonths: 24,
}));

export function sandboxPort(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRIBUTARY_SANDBOX_PORT;
  if (!raw) return 4010;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`TRIBUTARY_SANDBOX_PORT must be a port number, got "${raw}"`);
  return port;
}

/** How often the sandbox's state is written to its state file when it changed. */
const SAVE_INTERVAL_MS = 2_000;

/**
 * Starts the sandbox with the demo accounts, or with the accounts, tokens and changes saved in
 * `stateFile` by an earlier run: connections made against the sandbox keep working after a restart,
 * and records keep their timestamps.
 */
export async function startDemoSandbox(options: { port: number; host?: string; stateFile?: string; log?: (line: string) => void }): Promise<SandboxServer> {
  const server = await startSandboxServer({ platforms: SANDBOX_PLATFORMS, port: options.port, host: options.host, log: options.log });
  const saved = options.stateFile && existsSync(options.stateFile) ? readState(options.stateFile) : null;
  if (saved) server.registry.restore(saved);
  else for (const account of DEMO_ACCOUNTS) server.registry.create({ ...account, rateLimited: true });
  if (!options.stateFile) return server;

  const file = options.stateFile;
  let written = "";
  const save = () => {
    const text = JSON.stringify({ version: 1, accounts: server.registry.snapshot() });
    if (text === written) return;
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename: a crash mid-write never leaves a truncated state file.
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    written = text;
  };
  save();
  const timer = setInterval(save, SAVE_INTERVAL_MS);
  timer.unref();
  return {
    ...server,
    async stop() {
      clearInterval(timer);
      save();
      await server.stop();
    },
  };
}

function readState(file: string): AccountSnapshot[] | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { version?: number; accounts?: AccountSnapshot[] };
    return parsed.version === 1 && Array.isArray(parsed.accounts) ? parsed.accounts : null;
  } catch {
    return null;
  }
}

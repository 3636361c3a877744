// LISTEN on one PostgreSQL channel for as long as a process wants it: a connection of its own (a
// pooled one would be handed to queries), opened again after a failure, so a restarted database or a
// dropped socket costs a few seconds of wake-ups, never the listener. A caller keeps its poll: a
// notification only makes work happen sooner (on the embedded PGlite, whose socket server shares one
// session among its connections, notifications may not arrive at all).
import pg from "pg";
import { rawPool, type Db } from "./client";

export interface Listener {
  /** Resolves once the first LISTEN is in place (or the first attempt failed; it keeps trying). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const RECONNECT_MS = 2000;

export function listen(db: Db, channel: string, onNotify: () => void, log: (line: string) => void = () => undefined): Listener {
  const { connectionString } = rawPool(db).options;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on("notification", (message) => message.channel === channel && onNotify());
    // An error or end after connecting: drop this client and open another a little later.
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
      next.end().catch(() => undefined);
      if (stopped) return;
      log(`listen ${channel}: connection lost${error ? ` (${error.message})` : ""}; reconnecting`);
      retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    next.on("error", lost);
    next.on("end", () => lost());
    client = next;
    try {
      await next.connect();
      await next.query(`listen "${channel.replace(/"/g, '""')}"`);
      // Events written while the listener was away are found by the caller's poll.
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const ready = connect();
  return {
    ready,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

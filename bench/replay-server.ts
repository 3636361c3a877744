// The replay platform bench:sync measures the engine against (started by startReplayProcess in
// support.ts, in its own process): an HTTP server in front of the sandbox that, while recording,
// forwards every request and keeps each GET's answer in memory, and while replaying serves those
// answers from memory — the same pages, rendered once, at the cost of the socket alone — so the
// engine's figure no longer includes the sandbox generating records on the same cores.
//
// Answers are keyed by method and URL with its timestamps replaced, because a batch's window is
// anchored at the moment its connection's first run starts, which differs between the recording and
// the replay. Two different URLs that become the same key while recording make it ambiguous: a replay
// of it is forwarded to the sandbox and counted, never answered with the wrong page.
//
// Control: POST /__replay/mode {"mode":"record"|"replay"}; GET /__replay/stats.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

const target = process.env.REPLAY_TARGET;
if (!target) throw new Error("REPLAY_TARGET (the sandbox's URL) is required");
const port = Number(process.env.REPLAY_PORT ?? 4320);

interface Answer {
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

const answers = new Map<string, Answer>();
const ambiguous = new Set<string>();
let mode: "record" | "replay" = "record";
const stats = { recorded: 0, recorded_bytes: 0, served: 0, served_bytes: 0, forwarded: 0, misses: 0, ambiguous_requests: 0 };

const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?/g;
const keyOf = (method: string, url: string) => `${method} ${decodeURIComponent(url).replace(TIMESTAMP, "<time>")}`;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function forward(request: IncomingMessage, body: Buffer): Promise<Answer> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined && !["host", "connection", "content-length"].includes(name)) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  const response = await fetch(`${target}${request.url}`, {
    method: request.method,
    headers,
    body: body.length ? new Uint8Array(body) : undefined,
  });
  stats.forwarded++;
  return {
    url: request.url!,
    status: response.status,
    contentType: response.headers.get("content-type") ?? "application/json",
    body: Buffer.from(await response.arrayBuffer()),
  };
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { "content-type": answer.contentType, "content-length": answer.body.length });
  response.end(answer.body);
}

async function control(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === "POST" && request.url === "/__replay/mode") {
    const next = (JSON.parse((await readBody(request)).toString()) as { mode?: string }).mode;
    if (next !== "record" && next !== "replay") {
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "mode: record or replay" }));
      return;
    }
    mode = next;
  }
  response
    .writeHead(200, { "content-type": "application/json" })
    .end(JSON.stringify({ mode, answers: answers.size, ambiguous_keys: ambiguous.size, ...stats }));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.url!.startsWith("/__replay/")) return control(request, response);
  const body = await readBody(request);
  const key = keyOf(request.method!, request.url!);
  if (request.method !== "GET") return send(response, await forward(request, body));
  if (mode === "replay") {
    const answer = answers.get(key);
    if (answer && !ambiguous.has(key)) {
      stats.served++;
      stats.served_bytes += answer.body.length;
      return send(response, answer);
    }
    if (ambiguous.has(key)) stats.ambiguous_requests++;
    else stats.misses++;
    return send(response, await forward(request, body));
  }
  const answer = await forward(request, body);
  const seen = answers.get(key);
  if (seen && seen.url !== answer.url) ambiguous.add(key);
  else if (!seen && answer.status === 200) {
    answers.set(key, answer);
    stats.recorded++;
    stats.recorded_bytes += answer.body.length;
  }
  send(response, answer);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (!response.headersSent) response.writeHead(502, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`Replay platform on http://127.0.0.1:${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));

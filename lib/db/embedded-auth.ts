// Password authentication for the embedded database, as PostgreSQL does it: SCRAM-SHA-256
// (RFC 5802 and RFC 7677, PostgreSQL's default since version 14). pglite-socket answers every
// startup message with AuthenticationOk whatever the user and password, so each new connection
// runs this exchange first; only a client that proved it knows the password reaches the socket
// server, which then sees an ordinary startup message. SCRAM rather than cleartext or md5: the
// password never crosses the socket, and `pg`, @prisma/adapter-pg and psql (libpq) all speak it.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** PostgreSQL's default iteration count (scram_iterations). */
const ITERATIONS = 4096;

/** What PostgreSQL stores for a SCRAM password, computed once when the server starts. */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): ScramVerifier {
  const salted = pbkdf2Sync(saslPrep(password), salt, iterations, 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  return { salt, iterations, storedKey: sha256(clientKey), serverKey: hmac(salted, "Server Key") };
}

/**
 * The three steps of SASLprep (RFC 4013) that change a password's bytes, the ones `pg` and libpq
 * apply before hashing: non-ASCII spaces become spaces, "commonly mapped to nothing" characters go,
 * then NFKC. Without them a password with such characters would work from one client only.
 */
function saslPrep(password: string): string {
  return password
    .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, " ")
    .replace(/[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g, "")
    .normalize("NFKC");
}

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** PostgreSQL refuses startup packets above 10,000 bytes; SASL messages are far smaller. */
const MAX_STARTUP_BYTES = 10_000;
const MAX_SASL_BYTES = 2_048;
/** PostgreSQL's authentication_timeout is 60 s; a local client needs far less. */
const AUTHENTICATION_TIMEOUT_MS = 10_000;

export interface AuthenticateOptions {
  user: string;
  verifier: ScramVerifier;
  timeoutMs?: number;
}

/**
 * Runs the startup and SCRAM exchange on a new connection. Resolves with the bytes the socket server
 * must see next (the client's startup message and anything after it), the socket paused; or with
 * null once a refused connection has been told why and closed.
 */
export function authenticateConnection(socket: Socket, options: AuthenticateOptions): Promise<Buffer | null> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let step: "startup" | "initial" | "final" = "startup";
    let startup = Buffer.alloc(0);
    let user = "";
    let exchange: { gs2Header: string; clientFirstBare: string; serverFirst: string; nonce: string } | null = null;
    let settled = false;

    const finish = (replay: Buffer | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onClose);
      socket.off("close", onClose);
      if (replay) socket.pause();
      else socket.on("error", () => {}); // a reset after the refusal is no one's concern
      resolve(replay);
    };
    const refuse = (code: string, message: string) => {
      if (socket.writable) socket.end(errorResponse(code, message), () => socket.destroy());
      else socket.destroy();
      finish(null);
    };
    const onClose = () => {
      socket.destroy();
      finish(null);
    };
    const timer = setTimeout(() => refuse("08006", "authentication timed out"), options.timeoutMs ?? AUTHENTICATION_TIMEOUT_MS);

    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        while (!settled) {
          if (step === "startup") {
            if (buffer.length < 8) return;
            const length = buffer.readInt32BE(0);
            const code = buffer.readInt32BE(4);
            if (length < 8 || length > MAX_STARTUP_BYTES) return refuse("08P01", "invalid length of startup packet");
            if (buffer.length < length) return;
            const packet = buffer.subarray(0, length);
            buffer = buffer.subarray(length);
            if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
              // Neither TLS nor GSSAPI here: the client continues in the clear (libpq's sslmode=prefer does).
              socket.write("N");
              continue;
            }
            if (code === CANCEL_REQUEST) return onClose(); // not supported; nothing to answer
            if (code !== PROTOCOL_3) return refuse("0A000", `unsupported frontend protocol ${code >> 16}.${code & 0xffff}: server supports 3.0`);
            startup = Buffer.from(packet);
            user = startupParameters(packet).get("user") ?? "";
            if (!user) return refuse("28000", "no PostgreSQL user name specified in startup packet");
            socket.write(authentication(10, Buffer.from("SCRAM-SHA-256\0\0")));
            step = "initial";
            continue;
          }
          const message = readMessage(buffer);
          if (message === "too-large") return refuse("08P01", "invalid SASL message length");
          if (!message) return;
          buffer = buffer.subarray(message.size);
          if (message.type !== 0x70) return refuse("08P01", `expected SASL response, got message type ${String.fromCharCode(message.type)}`);
          if (step === "initial") {
            const mechanismEnd = message.body.indexOf(0);
            const mechanism = message.body.subarray(0, mechanismEnd).toString("utf8");
            if (mechanismEnd < 0 || mechanism !== "SCRAM-SHA-256") return refuse("08P01", "client selected an invalid SASL authentication mechanism");
            const clientFirst = message.body.subarray(mechanismEnd + 5).toString("utf8");
            const parsed = /^([ny]),[^,]*,((?:m=[^,]*,)?n=[^,]*,r=([\x21-\x2b\x2d-\x7e]+)(?:,.*)?)$/.exec(clientFirst);
            if (!parsed) {
              if (clientFirst.startsWith("p=")) return refuse("08P01", "channel binding is not supported by this server");
              return refuse("08P01", "malformed SCRAM message");
            }
            const nonce = parsed[3] + randomBytes(18).toString("base64");
            const serverFirst = `r=${nonce},s=${options.verifier.salt.toString("base64")},i=${options.verifier.iterations}`;
            exchange = { gs2Header: clientFirst.slice(0, clientFirst.length - parsed[2].length), clientFirstBare: parsed[2], serverFirst, nonce };
            socket.write(authentication(11, Buffer.from(serverFirst)));
            step = "final";
            continue;
          }
          const clientFinal = message.body.toString("utf8");
          const parsed = /^c=([^,]*),r=([^,]*)(?:,.*)?,p=([A-Za-z0-9+/=]+)$/.exec(clientFinal);
          if (!exchange || !parsed) return refuse("08P01", "malformed SCRAM message");
          if (parsed[1] !== Buffer.from(exchange.gs2Header).toString("base64") || parsed[2] !== exchange.nonce)
            return refuse("08P01", "SCRAM channel binding or nonce does not match");
          const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(",p="));
          const authMessage = `${exchange.clientFirstBare},${exchange.serverFirst},${withoutProof}`;
          const proof = Buffer.from(parsed[3], "base64");
          const signature = hmac(options.verifier.storedKey, authMessage);
          const clientKey = proof.length === signature.length ? xor(proof, signature) : Buffer.alloc(signature.length);
          // A wrong user goes through the same exchange and fails the same way, as in PostgreSQL:
          // the answer does not say which user names exist.
          const valid = timingSafeEqual(sha256(clientKey), options.verifier.storedKey) && user === options.user;
          if (!valid) return refuse("28P01", `password authentication failed for user "${user}"`);
          socket.write(authentication(12, Buffer.from(`v=${hmac(options.verifier.serverKey, authMessage).toString("base64")}`)));
          // The socket server answers the startup message with AuthenticationOk and the session's parameters.
          return finish(Buffer.concat([startup, buffer]));
        }
      } catch {
        refuse("08P01", "malformed authentication message");
      }
    };

    socket.on("data", onData);
    socket.on("error", onClose);
    socket.on("close", onClose);
  });
}

function startupParameters(packet: Buffer): Map<string, string> {
  const parts = packet.subarray(8).toString("utf8").split("\0");
  const parameters = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) parameters.set(parts[i], parts[i + 1]);
  return parameters;
}

function readMessage(buffer: Buffer): { type: number; body: Buffer; size: number } | "too-large" | null {
  if (buffer.length < 5) return null;
  const length = buffer.readInt32BE(1);
  if (length < 4 || length > MAX_SASL_BYTES) return "too-large";
  if (buffer.length < 1 + length) return null;
  return { type: buffer[0], body: buffer.subarray(5, 1 + length), size: 1 + length };
}

/** An Authentication message ('R') of the given kind: 10 SASL, 11 SASLContinue, 12 SASLFinal. */
function authentication(kind: number, data: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.write("R", 0);
  header.writeInt32BE(8 + data.length, 1);
  header.writeInt32BE(kind, 5);
  return Buffer.concat([header, data]);
}

/** A FATAL ErrorResponse ('E'), the way PostgreSQL refuses a connection. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

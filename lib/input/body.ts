// A request's body, read from its stream up to a limit declared where the route is declared (an API
// operation's bodyLimit, Link's, each platform's webhooks'). Nothing past the limit is buffered: the
// stream is cancelled as soon as the count passes it, and a Content-Length over it is refused before
// reading. Every route that reads a body reads it here, and answers BodyTooLargeError with
// bodyTooLargeResponse (413 BODY_TOO_LARGE, naming the limit).
import { CodedError, ERRORS, type PublicError } from "@/lib/errors";

export class BodyTooLargeError extends CodedError {
  constructor(readonly limitBytes: number) {
    super(`The body is larger than this route's limit of ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
  publicError(): PublicError {
    return { code: "BODY_TOO_LARGE", message: this.message };
  }
}

/** The body as UTF-8 text ("" when there is none); BodyTooLargeError past `limitBytes`. */
export async function readBodyText(request: Request, limitBytes: number): Promise<string> {
  const announced = request.headers.get("content-length");
  if (announced !== null && /^\s*\d+\s*$/.test(announced) && Number(announced) > limitBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limitBytes);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The answer to a body over its route's limit, the same on every route. */
export function bodyTooLargeResponse(error: BodyTooLargeError): Response {
  const { status, type } = ERRORS.BODY_TOO_LARGE;
  return Response.json({ error_type: type, error_code: "BODY_TOO_LARGE", error_message: error.message }, { status });
}

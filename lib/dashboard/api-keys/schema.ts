// What the dashboard's "Create API key" form accepts, parsed once on the server.
import { z } from "zod";

export const API_KEY_NAME_MAX = 80;

export const createApiKeyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name, for example “Production backend”, so you can tell this key apart later.")
    .max(API_KEY_NAME_MAX, `Keep the name to ${API_KEY_NAME_MAX} characters or fewer.`),
});

/** What the create action answers: the new key's secret travels to the browser once, in this value, and is never stored. */
export type CreateApiKeyState =
  | { status: "idle" }
  | { status: "invalid"; name: string; fieldErrors: { name?: string } }
  | { status: "failed"; name: string; message: string }
  | { status: "created"; key: { id: string; name: string; clientId: string; secret: string } };

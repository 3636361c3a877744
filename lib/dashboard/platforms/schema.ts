// What the Platforms page's forms accept, parsed once on the server.
import { z } from "zod";

/** Scope names as platforms spell them: read_orders, com.intuit.quickbooks.accounting, read. */
const SCOPE = /^[A-Za-z0-9._:/-]+$/;

export const credentialsInput = z.object({
  platform: z.string().min(1).max(64),
  // Empty keeps what is stored: the form never receives the stored values back.
  clientId: z
    .string()
    .trim()
    .max(255, "Keep the client ID to 255 characters or fewer.")
    .refine((value) => !/\s/.test(value), "A client ID has no spaces: paste it exactly as the platform shows it."),
  clientSecret: z
    .string()
    .trim()
    .max(1024, "Keep the client secret to 1,024 characters or fewer.")
    .refine((value) => !/\s/.test(value), "A client secret has no spaces: paste it exactly as the platform shows it."),
  scopes: z
    .string()
    .trim()
    .max(2000)
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .refine((scopes) => scopes.every((scope) => SCOPE.test(scope)), "Scopes are names like read_orders, separated by spaces or commas."),
});

export type CredentialsField = "clientId" | "clientSecret" | "scopes";

export type CredentialsState =
  | { status: "idle" }
  | { status: "saved"; at: number; message: string }
  | { status: "invalid"; fieldErrors: Partial<Record<CredentialsField, string>>; clientId: string; scopes: string }
  | { status: "failed"; message: string };

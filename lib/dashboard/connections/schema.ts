// What the Connections pages' actions accept and answer, parsed once on the server.
import { z } from "zod";
import type { ActionResult as Result } from "@/lib/dashboard/action";

/** The connection actions' results (lib/dashboard/action.ts): a success always says what happened, in a sentence. */
export type ActionResult<T = object> = Result<{ message: string } & T>;

export const publicTokenInput = z.string().trim().min(1).max(200);

/** The connection's access token, shown once after Link: Tributary keeps only its hash. */
export type ExchangeResult = ActionResult<{ connectionId: string; platform: string; accessToken: string | null; isRelink: boolean }>;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD")
  // Date.parse rolls 30 February over into March: a real day reads back the same.
  .refine((value) => new Date(Date.parse(`${value}T00:00:00Z`) || 0).toISOString().slice(0, 10) === value, "Enter a real date")
  .nullable();

/**
 * The backfill form: objects and an optional window of days (UTC). The start is the day's first
 * instant and the end the instant after the end day, so "from 1 to 31 March" covers all of March.
 */
export const backfillInput = z
  .object({
    objects: z.array(z.string().min(1)).min(1, "Choose at least one object to backfill"),
    start: day,
    end: day,
  })
  .refine((input) => !input.start || !input.end || input.start <= input.end, { path: ["end"], message: "The end day must not be before the start day" })
  .transform((input) => ({
    objects: input.objects,
    start: input.start ? new Date(`${input.start}T00:00:00Z`) : null,
    end: input.end ? new Date(Date.parse(`${input.end}T00:00:00Z`) + 24 * 3600 * 1000) : null,
  }));

export type BackfillInput = z.input<typeof backfillInput>;

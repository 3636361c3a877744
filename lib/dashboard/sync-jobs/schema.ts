// What the Sync jobs pages send to their actions, parsed once on the server, and what the actions
// answer. The rules themselves (definitions, run targets, args, cron expressions) are lib/jobs'; this
// turns the library's field names (`connection_id`, `args.org_id`, `cron_expression`) into the
// form's and names a missing choice before the library is asked.
import { z } from "zod";
import { issueMessage } from "@/lib/input";
import { CronError, parseCron } from "@/lib/jobs/cron";
import type { Problem } from "@/lib/jobs/definition";
import type { ActionRefusal, ActionResult } from "@/lib/dashboard/action";

export type { ActionResult, Problem };

/** A form's answer (lib/dashboard/action.ts): on failure, messages by form field (`connection`, `endpoint`, `expression`, `args`, `args.<name>`). */
export type FormResult<T = object> = ({ ok: true } & T) | (ActionRefusal & { fieldErrors: Record<string, string> });

/** A definition's answer: on failure, the problems by the definition's own paths, for the editor to mark its lines. */
export type SaveJobResult = { ok: true; id: string } | (ActionRefusal & { problems: Problem[] });

const target = {
  connectionId: z.string().trim().min(1, "Choose the connection to fetch from."),
  webhookEndpointId: z.string().trim().min(1, "Choose the endpoint the run streams to."),
  args: z.record(z.string(), z.unknown()),
};

export const runForm = z.object({ ...target, ignorePreviousRun: z.boolean() });
export type RunForm = z.infer<typeof runForm>;

export const triggerForm = z.object({
  ...target,
  // Parsed here too (createTrigger parses it again), so a bad schedule is said together with a missing
  // connection or endpoint rather than on the next submit.
  expression: z
    .string()
    .trim()
    .min(1, "Enter a cron expression, such as */15 * * * *.")
    .superRefine((expression, context) => {
      try {
        parseCron(expression).next(new Date());
      } catch (error) {
        if (!(error instanceof CronError)) throw error;
        context.addIssue({ code: "custom", message: error.message });
      }
    }),
});
export type TriggerForm = z.infer<typeof triggerForm>;

const FORM_FIELDS: Record<string, string> = {
  connectionId: "connection",
  connection_id: "connection",
  webhookEndpointId: "endpoint",
  webhook_endpoint_id: "endpoint",
  expression: "expression",
  cron_expression: "expression",
};

/** The form field a library or schema path belongs to; args keep their name (`args.org_id`). */
export function formField(path: string): string {
  if (path === "args" || path.startsWith("args.") || path.startsWith("args[")) return path.replace(/\[\d+\]$/, "");
  return FORM_FIELDS[path] ?? "form";
}

export function fieldErrorsOf(problems: readonly Problem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = formField(problem.field);
    const message = problem.message.charAt(0).toUpperCase() + problem.message.slice(1);
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}

/** A form's own problems (zod) as field errors. */
export function formErrorsOf(error: z.ZodError): Record<string, string> {
  return fieldErrorsOf(error.issues.map((issue) => ({ field: issue.path.map(String).join("."), message: issueMessage(issue) })));
}

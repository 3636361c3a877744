"use server";
// The Sync jobs pages' writes. Each checks the session and the member's role itself (viewers read,
// owners and admins change), then calls lib/jobs with the member's organization and environment as
// its scope, as the REST API does: another tenant's job, run, trigger, connection or endpoint is
// answered like a missing one. Expected failures come back as problems named by field.
import { revalidatePath } from "next/cache";
import { hasRole, requireContext } from "@/lib/auth/context";
import { memberAction, refusal, type ActionRefusal } from "@/lib/dashboard/action";
import { getDb } from "@/lib/db/client";
import { InvalidJobError } from "@/lib/jobs/definition";
import { createJob, createJobRun, deleteJob, JobConflictError, JobNotFoundError, stopJobRun, updateJob, type JobScope } from "@/lib/jobs/store";
import { createTrigger, deleteTrigger, setTriggerActive } from "@/lib/jobs/triggers";
import {
  fieldErrorsOf,
  formErrorsOf,
  runForm,
  triggerForm,
  type ActionResult,
  type FormResult,
  type RunForm,
  type SaveJobResult,
  type TriggerForm,
} from "./schema";

const JOBS = { role: "admin", may: "change, run or stop sync jobs" } as const;
const NOT_ALLOWED = refusal(JOBS.role, JOBS.may);
const JOB_GONE = "This sync job no longer exists in this environment.";
const FAILED = "That did not work. Try again in a moment.";

const scopeOf = (context: { organization: { id: string }; environment: JobScope["environment"] }): JobScope => ({
  organizationId: context.organization.id,
  environment: context.environment,
});

/** The member's scope if they may change sync jobs (for the forms, whose answers keep their own shape). */
async function admin(): Promise<{ scope: JobScope } | null> {
  const context = await requireContext();
  return hasRole(context, JOBS.role) ? { scope: scopeOf(context) } : null;
}

function revalidate(...paths: string[]) {
  revalidatePath("/sync-jobs");
  for (const path of paths) revalidatePath(path);
}

/** A job's definition (any JSON value: the library parses it) saved as a new job or over job `id`. */
export async function saveJobAction(id: string | null, definition: unknown): Promise<SaveJobResult> {
  const allowed = await admin();
  if (!allowed) return { ok: false, message: NOT_ALLOWED, problems: [] };
  try {
    const job = id ? await updateJob(getDb(), allowed.scope, String(id), definition) : await createJob(getDb(), allowed.scope, definition);
    revalidate(`/sync-jobs/${job.id}`);
    return { ok: true, id: job.id };
  } catch (error) {
    if (error instanceof InvalidJobError) {
      const count = error.problems.length;
      return { ok: false, message: `The definition has ${count === 1 ? "a problem" : `${count} problems`}: nothing was saved.`, problems: error.problems };
    }
    if (error instanceof JobNotFoundError) return { ok: false, message: JOB_GONE, problems: [] };
    console.error("saveJobAction", error);
    return { ok: false, message: FAILED, problems: [] };
  }
}

export async function deleteJobAction(id: string): Promise<ActionResult> {
  const expected = (error: unknown): ActionRefusal | undefined => (error instanceof JobNotFoundError ? { ok: false, message: JOB_GONE } : undefined);
  return memberAction({ ...JOBS, name: "deleteJobAction", expected }, async (context) => {
    // Its runs and cron triggers go with it (cascade), as with the API's DELETE.
    await deleteJob(getDb(), scopeOf(context), String(id));
    revalidate();
    return { ok: true };
  });
}

/** Library failures of a run or trigger form as messages by form field; anything else is unexpected. */
function formFailure(error: unknown, action: string): FormResult<never> {
  if (error instanceof InvalidJobError) return { ok: false, message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(error.problems) };
  if (error instanceof JobNotFoundError) {
    if (error.field === "sync_job_id" || error.field === null) return { ok: false, message: JOB_GONE, fieldErrors: {} };
    return {
      ok: false,
      message: "Check the highlighted fields.",
      fieldErrors: fieldErrorsOf([{ field: error.field, message: `${error.message.replace(/^No such /, "this ")} no longer exists here: choose another` }]),
    };
  }
  console.error(action, error);
  return { ok: false, message: FAILED, fieldErrors: {} };
}

/** Queues a run of job `jobId`; the page then follows it on the run's own page. */
export async function startRunAction(jobId: string, input: RunForm): Promise<FormResult<{ runId: string }>> {
  const allowed = await admin();
  if (!allowed) return { ok: false, message: NOT_ALLOWED, fieldErrors: {} };
  const parsed = runForm.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Check the highlighted fields.", fieldErrors: formErrorsOf(parsed.error) };
  try {
    const run = await createJobRun(getDb(), allowed.scope, { syncJobId: String(jobId), ...parsed.data });
    revalidate(`/sync-jobs/${jobId}`);
    return { ok: true, runId: run.id };
  } catch (error) {
    return formFailure(error, "startRunAction");
  }
}

export async function stopRunAction(runId: string): Promise<ActionResult> {
  const expected = (error: unknown): ActionRefusal | undefined =>
    error instanceof JobConflictError
      ? { ok: false, message: `${error.message}: there is nothing to stop.` }
      : error instanceof JobNotFoundError
        ? { ok: false, message: "This run no longer exists in this environment." }
        : undefined;
  return memberAction({ ...JOBS, name: "stopRunAction", expected }, async (context) => {
    const run = await stopJobRun(getDb(), scopeOf(context), String(runId));
    revalidate(`/sync-jobs/${run.syncJobId}`, `/sync-jobs/runs/${run.id}`);
    return { ok: true };
  });
}

export async function createTriggerAction(jobId: string, input: TriggerForm): Promise<FormResult> {
  const allowed = await admin();
  if (!allowed) return { ok: false, message: NOT_ALLOWED, fieldErrors: {} };
  const parsed = triggerForm.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Check the highlighted fields.", fieldErrors: formErrorsOf(parsed.error) };
  try {
    await createTrigger(getDb(), allowed.scope, { syncJobId: String(jobId), ...parsed.data });
    revalidate(`/sync-jobs/${jobId}`);
    return { ok: true };
  } catch (error) {
    return formFailure(error, "createTriggerAction");
  }
}

/** Runs `act` on one of the member's cron triggers. */
async function onTrigger(id: string, what: string, act: (scope: JobScope) => Promise<unknown>): Promise<ActionResult> {
  const expected = (error: unknown): ActionRefusal | undefined =>
    error instanceof InvalidJobError ? { ok: false, message: error.problems.map((problem) => problem.message).join(" ") } : undefined;
  return memberAction({ ...JOBS, name: what, expected }, async (context) => {
    const trigger = await context.db.cronTrigger.findFirst({ where: { id }, select: { syncJobId: true } });
    if (!trigger) return { ok: false, message: "This cron trigger no longer exists in this environment." };
    await act(scopeOf(context));
    revalidate(`/sync-jobs/${trigger.syncJobId}`);
    return { ok: true };
  });
}

export async function setTriggerActiveAction(id: string, active: boolean): Promise<ActionResult> {
  return onTrigger(String(id), "setTriggerActiveAction", (scope) => setTriggerActive(getDb(), scope, String(id), Boolean(active)));
}

export async function deleteTriggerAction(id: string): Promise<ActionResult> {
  return onTrigger(String(id), "deleteTriggerAction", (scope) => deleteTrigger(getDb(), scope, String(id)));
}

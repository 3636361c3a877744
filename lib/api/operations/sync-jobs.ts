// Sync jobs (Truto's RapidBridge, DESIGN.md section 4): definitions, their runs and their cron
// triggers, and the catalogue of resources a definition may name. A job's body is the library's own
// schema (lib/jobs/definition.ts), so the document shows exactly what is validated on save; what the
// shape cannot say (unknown resource, placeholder, cycle…) answers 400 naming the field all the same.
import { z } from "zod";
import { RunStatus } from "@/lib/generated/prisma/enums";
import { jobDefinitionSchema } from "@/lib/jobs/definition";
import { JOB_CATEGORIES } from "@/lib/jobs/resources";
import { defineOperation } from "../operation";
import { cursor, pageLimit, pathId } from "../params";

const TAG = "Sync jobs";
const jobId = { id: pathId("job", "The sync job's id (job_…)") };
const runId = { id: pathId("jrun", "The run's id (jrun_…)") };
const triggerId = { id: pathId("cron", "The cron trigger's id (cron_…)") };

const id = (what: string) =>
  z
    .string({ message: `is required: the ${what}'s id` })
    .min(1, `is required: the ${what}'s id`)
    .max(100);
const args = z
  .record(z.string(), z.unknown())
  .meta({ description: "The run's arguments, validated against the job's args_schema ({{args.<name>}} in queries)" });
const filter = (what: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: `Only those of this ${what}` });

// A PATCH sends only what changes: the defaults of a new job must not overwrite the current values.
const definition = jobDefinitionSchema.shape;
const jobPatchSchema = z
  .object({
    name: definition.name.optional(),
    category: definition.category.optional(),
    args_schema: definition.args_schema.removeDefault().optional().describe("JSON Schema of the run's args"),
    resources: definition.resources.optional().describe("The whole list of resources (it replaces the current one)"),
    error_handling: definition.error_handling.removeDefault().optional(),
  })
  .strict();

export const listSyncJobs = defineOperation({
  operationId: "listSyncJobs",
  method: "GET",
  path: "/sync-jobs",
  tag: TAG,
  summary: "Sync jobs, newest first",
  query: z.object({ cursor: cursor(/^job_[0-9A-Z]{26}$/), limit: pageLimit(100, 50) }),
  responses: { 200: "`{ sync_jobs, next_cursor }`" },
});

export const createSyncJob = defineOperation({
  operationId: "createSyncJob",
  method: "POST",
  path: "/sync-jobs",
  tag: TAG,
  summary: "Create a sync job from its definition, validated whole (resources, query parameters, placeholders, dependencies, args_schema)",
  body: jobDefinitionSchema,
  responses: { 201: "`{ sync_job }`", 400: "The definition is invalid: `field` names the first problem, `error_message` lists them all" },
});

export const getSyncJob = defineOperation({
  operationId: "getSyncJob",
  method: "GET",
  path: "/sync-jobs/{id}",
  tag: TAG,
  summary: "One sync job with its definition",
  pathParams: jobId,
  responses: { 200: "`{ sync_job }`", 404: "No such sync job" },
});

export const updateSyncJob = defineOperation({
  operationId: "updateSyncJob",
  method: "PATCH",
  path: "/sync-jobs/{id}",
  tag: TAG,
  summary: "Change a sync job: the fields sent replace the current ones (resources as a whole list), and the result is validated as a new job would be",
  description: "Runs in progress read the new definition from their next page on.",
  pathParams: jobId,
  body: jobPatchSchema,
  responses: { 200: "`{ sync_job }`", 400: "The resulting definition is invalid (the field is named)", 404: "No such sync job" },
});

export const deleteSyncJob = defineOperation({
  operationId: "deleteSyncJob",
  method: "DELETE",
  path: "/sync-jobs/{id}",
  tag: TAG,
  summary: "Delete a sync job with its runs and cron triggers; runs in progress are stopped first",
  pathParams: jobId,
  responses: { 200: "`{ id, deleted: true }`", 404: "No such sync job" },
});

export const listSyncJobRuns = defineOperation({
  operationId: "listSyncJobRuns",
  method: "GET",
  path: "/sync-job-runs",
  tag: TAG,
  summary: "Sync job runs, newest first",
  query: z.object({
    sync_job_id: filter("sync job"),
    connection_id: filter("connection"),
    status: z.enum(RunStatus, { message: `must be one of ${Object.values(RunStatus).join(", ")}` }).optional(),
    cursor: cursor(/^jrun_[0-9A-Z]{26}$/),
    limit: pageLimit(100, 50),
  }),
  responses: { 200: "`{ sync_job_runs, next_cursor }`" },
});

export const createSyncJobRun = defineOperation({
  operationId: "createSyncJobRun",
  method: "POST",
  path: "/sync-job-runs",
  tag: TAG,
  summary: "Start a run of a sync job for one connection, streaming to one webhook endpoint",
  description:
    "The run is queued (status queued) and picked up by the worker: SYNC_JOB_RUN_STARTED, one SYNC_JOB_RUN_RECORD per fetched page, then SYNC_JOB_RUN_COMPLETED or SYNC_JOB_RUN_FAILED (SYNC_JOB_RUN_STOPPED when stopped), each waiting for a 2xx.",
  body: z
    .object({
      sync_job_id: id("sync job"),
      connection_id: id("connection").meta({ description: "A connection of the job's category" }),
      webhook_endpoint_id: id("webhook endpoint").meta({ description: "An enabled endpoint: every event of the run goes to it" }),
      args: args.optional(),
      ignore_previous_run: z.boolean().optional().meta({ description: "Fetch everything: {{previous_run_date}} is left out of the queries" }),
    })
    .strict(),
  responses: {
    201: "`{ sync_job_run }`",
    400: "A bad field, an id that names nothing in this organization and environment, a connection of another category, or args the job's args_schema refuses (the field is named)",
  },
});

export const getSyncJobRun = defineOperation({
  operationId: "getSyncJobRun",
  method: "GET",
  path: "/sync-job-runs/{id}",
  tag: TAG,
  summary:
    "One run with its status and progress per resource (requests, pages, records, errors, and `total`: the platform's count of a root resource where it gives one)",
  pathParams: runId,
  responses: { 200: "`{ sync_job_run }`", 404: "No such run" },
});

export const stopSyncJobRun = defineOperation({
  operationId: "stopSyncJobRun",
  method: "POST",
  path: "/sync-job-runs/{id}/stop",
  tag: TAG,
  summary:
    "Stop a run now (status cancelled); the event it was waiting to deliver is cancelled and SYNC_JOB_RUN_STOPPED is sent instead (nothing for a run still queued)",
  pathParams: runId,
  body: z.object({}).strict(),
  responses: { 200: "`{ sync_job_run }`", 404: "No such run", 409: "The run already ended (RUN_FINISHED)" },
});

const triggerFields = {
  webhook_endpoint_id: id("webhook endpoint").meta({ description: "An enabled endpoint: every run streams to it" }),
  cron_expression: z
    .string({ message: "is required: five fields (minute hour day-of-month month day-of-week), in UTC" })
    .min(1, "must not be empty")
    .max(200)
    .meta({ description: "Five fields, evaluated in UTC, e.g. `0 3 * * *`" }),
  args: args.optional(),
  active: z.boolean().optional().meta({ description: "Whether it starts runs (default true); next_run_at is null while inactive" }),
};

export const listSyncJobCronTriggers = defineOperation({
  operationId: "listSyncJobCronTriggers",
  method: "GET",
  path: "/sync-job-cron-triggers",
  tag: TAG,
  summary: "Cron triggers, newest first",
  query: z.object({ sync_job_id: filter("sync job"), connection_id: filter("connection"), cursor: cursor(/^cron_[0-9A-Z]{26}$/), limit: pageLimit(100, 50) }),
  responses: { 200: "`{ sync_job_cron_triggers, next_cursor }`" },
});

export const createSyncJobCronTrigger = defineOperation({
  operationId: "createSyncJobCronTrigger",
  method: "POST",
  path: "/sync-job-cron-triggers",
  tag: TAG,
  summary: "Run a sync job for one connection on a UTC schedule; a tick is skipped while the trigger's previous run is still going",
  body: z
    .object({ sync_job_id: id("sync job"), connection_id: id("connection").meta({ description: "A connection of the job's category" }), ...triggerFields })
    .strict(),
  responses: { 201: "`{ sync_job_cron_trigger }`", 400: "A bad field (a cron expression that does not parse or never matches names cron_expression)" },
});

export const getSyncJobCronTrigger = defineOperation({
  operationId: "getSyncJobCronTrigger",
  method: "GET",
  path: "/sync-job-cron-triggers/{id}",
  tag: TAG,
  summary: "One cron trigger with its last and next run times",
  pathParams: triggerId,
  responses: { 200: "`{ sync_job_cron_trigger }`", 404: "No such cron trigger" },
});

export const updateSyncJobCronTrigger = defineOperation({
  operationId: "updateSyncJobCronTrigger",
  method: "PATCH",
  path: "/sync-job-cron-triggers/{id}",
  tag: TAG,
  summary: "Change a trigger's schedule, args, endpoint or activity; its next run time is computed again",
  description: "A trigger's job and connection are fixed: create another trigger for another pair.",
  pathParams: triggerId,
  body: z
    .object({ ...triggerFields, webhook_endpoint_id: triggerFields.webhook_endpoint_id.optional(), cron_expression: triggerFields.cron_expression.optional() })
    .strict(),
  responses: { 200: "`{ sync_job_cron_trigger }`", 404: "No such cron trigger" },
});

export const deleteSyncJobCronTrigger = defineOperation({
  operationId: "deleteSyncJobCronTrigger",
  method: "DELETE",
  path: "/sync-job-cron-triggers/{id}",
  tag: TAG,
  summary: "Delete a cron trigger; the runs it started stay",
  pathParams: triggerId,
  responses: { 200: "`{ id, deleted: true }`", 404: "No such cron trigger" },
});

export const activateSyncJobCronTrigger = defineOperation({
  operationId: "activateSyncJobCronTrigger",
  method: "POST",
  path: "/sync-job-cron-triggers/{id}/activate",
  tag: TAG,
  summary: "Start a trigger again: it runs next at its next scheduled time from now",
  pathParams: triggerId,
  body: z.object({}).strict(),
  responses: { 200: "`{ sync_job_cron_trigger }`", 404: "No such cron trigger" },
});

export const deactivateSyncJobCronTrigger = defineOperation({
  operationId: "deactivateSyncJobCronTrigger",
  method: "POST",
  path: "/sync-job-cron-triggers/{id}/deactivate",
  tag: TAG,
  summary: "Pause a trigger (next_run_at becomes null); runs already started go on",
  pathParams: triggerId,
  body: z.object({}).strict(),
  responses: { 200: "`{ sync_job_cron_trigger }`", 404: "No such cron trigger" },
});

export const listSyncJobResources = defineOperation({
  operationId: "listSyncJobResources",
  method: "GET",
  path: "/sync-job-resources",
  tag: TAG,
  summary: "The resources a sync job may fetch, the platforms that offer each and the query parameters each takes",
  query: z.object({
    category: z
      .enum(JOB_CATEGORIES, { message: `must be one of ${JOB_CATEGORIES.join(", ")}` })
      .optional()
      .meta({ description: "Only this category's resources" }),
  }),
  responses: { 200: "`{ resources }`" },
});

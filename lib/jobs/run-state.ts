// What a sync job run carries between calls of the runner (DESIGN.md section 4), saved with every page
// it sends: the walk's position (a stack of frames), the delivery it waits for, the sequence of its
// events and the definition it started with; plus its progress per resource and what one call returns.
import type { JOB_EVENTS } from "@/lib/events/catalog";
import type { JobResourceDefinition } from "./definition";

export type JobEventType = (typeof JOB_EVENTS)[number];

/** Truto's names for the same events, for users who move over (README); SYNC_JOB_RUN_STOPPED is Tributary's own. */
export const TRUTO_EVENT_NAMES: Record<Exclude<JobEventType, "SYNC_JOB_RUN_STOPPED">, string> = {
  SYNC_JOB_RUN_STARTED: "sync_job_run:started",
  SYNC_JOB_RUN_RECORD: "sync_job_run:record",
  SYNC_JOB_RUN_RECORD_ERROR: "sync_job_run:record_error",
  SYNC_JOB_RUN_RATE_LIMITED: "sync_job_run:rate_limited",
  SYNC_JOB_RUN_COMPLETED: "sync_job_run:completed",
  SYNC_JOB_RUN_FAILED: "sync_job_run:failed",
};

/** A run's final statuses (SYNC_JOB_RUN in lib/lifecycles.ts). */
export type EndedJobRunStatus = "succeeded" | "failed" | "cancelled";

export interface Frame {
  /** Index into the job's resources; -1 is the base frame whose children are the root resources. */
  resource: number;
  /** The current record of each ancestor, reduced to the fields placeholders use, by resource name. */
  records: Record<string, Record<string, unknown>>;
  /** loop_on: the array looped on and the element being fetched; null without loop_on. */
  loop: { values: unknown[]; index: number } | null;
  loopError?: string;
  cursor: string | null;
  page: { rows: Record<string, unknown>[]; next: string | null; row: number; child: number } | null;
}

export interface ResourceProgress {
  requests: number;
  pages: number;
  records: number;
  errors: number;
  /** Requests not made: a parent record lacked the field a placeholder needs. */
  skipped: number;
  status: "pending" | "running" | "succeeded" | "failed";
  /**
   * How many records the platform says a root resource holds (Connector.count, asked once before
   * its first page), for the run's progress and time left; null where the platform cannot count it
   * or the request is narrowed in a way a count cannot follow (filters, updated since). Absent until asked.
   */
  total?: number | null;
}

export interface JobRunState {
  stack: Frame[];
  /** The delivery the run waits for before it goes on. */
  pending: { deliveryId: string; eventType: JobEventType } | null;
  /** Events sent so far: each event's `sequence`. */
  sequence: number;
  previousRunDate: string | null;
  /** The definition the run started with: editing the job changes later runs, never one in progress. */
  job: { name: string; errorHandling: "ignore" | "fail_fast"; resources: JobResourceDefinition[] };
}

export type JobRunResult = { status: EndedJobRunStatus } | { status: "waiting" | "rate_limited"; resumeAt: Date } | { status: "yielded" };

/** A sync job run's row as the runner reads it. */
export interface JobRunRow {
  id: string;
  organizationId: string;
  environment: "sandbox" | "production";
  syncJobId: string;
  connectionId: string;
  webhookEndpointId: string | null;
  args: Record<string, unknown>;
  ignorePreviousRun: boolean;
  status: string;
  progress: Record<string, ResourceProgress>;
  state: Partial<JobRunState>;
  startedAt: Date | null;
}

export class JobLeaseLostError extends Error {
  constructor(runId: string) {
    super(`The lease on sync job run ${runId} was lost`);
    this.name = "JobLeaseLostError";
  }
}

/** Thrown by a write that found the run ended meanwhile (cancelled): the call returns `result`. */
export class JobRunEnded extends Error {
  constructor(readonly result: JobRunResult) {
    super("run ended");
  }
}

// Every operation of the public API, in the order the OpenAPI document lists them. A route under
// app/api/v1 must use one of these (lib/api/openapi.test.ts checks both ways).
import type { Operation } from "../operation";
import * as connections from "./connections";
import * as coverage from "./coverage";
import * as data from "./data";
import * as events from "./events";
import * as link from "./link";
import * as proxy from "./proxy";
import * as runs from "./runs";
import * as configuration from "./configuration";
import * as syncJobs from "./sync-jobs";
import * as webhooks from "./webhooks";
import * as writes from "./writes";

export const OPERATIONS: readonly Operation[] = [
  ...Object.values(connections),
  ...Object.values(data),
  ...Object.values(writes),
  ...Object.values(events),
  ...Object.values(link),
  ...Object.values(runs),
  ...Object.values(configuration),
  ...Object.values(webhooks),
  ...Object.values(syncJobs),
  ...Object.values(coverage),
  ...Object.values(proxy),
] as Operation[];

import { heartbeat } from "./heartbeat";
import { retention } from "./retention";
import { connectionSync, scheduler, stuckRunMonitor } from "./sync";
import { syncJobRun, syncJobScheduler } from "./sync-jobs";
import { webhookDelivery, webhookDispatcher } from "./webhooks";
import { writeRun, writeScheduler } from "./writes";

/** Every function Tributary serves at /api/inngest. Later issues add theirs here. */
export const functions = [
  heartbeat,
  scheduler,
  connectionSync,
  stuckRunMonitor,
  webhookDispatcher,
  webhookDelivery,
  syncJobScheduler,
  syncJobRun,
  writeScheduler,
  writeRun,
  retention,
];

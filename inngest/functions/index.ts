import { heartbeat } from "./heartbeat";

/** Every function Tributary serves at /api/inngest. Later issues add theirs here. */
export const functions = [heartbeat];

// What the Sync configuration editor sends, parsed once on the server. Only the shape is checked here:
// the meaning (windows, history, frequency bounds, known objects) is lib/sync/configuration.ts's, whose
// problems name the level's own fields ("batches[1].fromMonthsAgo") for the editor to show beside them.
import { z } from "zod";
import type { LevelProblem } from "@/lib/sync/configuration-levels";

const objectKey = z.string().min(1).max(64);

export const saveLevelInput = z.object({
  target: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("organization") }),
    z.object({ kind: z.literal("platform"), platform: z.string().min(1).max(64) }),
  ]),
  level: z.object({
    objects: z.array(objectKey).max(100),
    historyMonths: z.number().nullable(),
    incrementalFrequencyMinutes: z.number().nullable(),
    batches: z.array(z.object({ objects: z.array(objectKey).max(100), fromMonthsAgo: z.number().nullable(), toMonthsAgo: z.number() })).max(24),
  }),
});

export type SaveLevelInput = z.input<typeof saveLevelInput>;

export type SaveLevelState = { status: "saved"; savedAt: string } | { status: "invalid"; problems: LevelProblem[] } | { status: "failed"; message: string };

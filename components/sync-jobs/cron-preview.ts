// What a cron expression means as it is typed: its English description and the next run times, all
// UTC, from the same parser the triggers run on (lib/jobs/cron.ts, on croner and cronstrue, which
// both run in the browser).
import { CronError, parseCron } from "@/lib/jobs/cron";
import { formatDateTime } from "@/lib/format";

export type CronPreview = { ok: true; description: string; next: string[] } | { ok: false; message: string } | null;

export function cronPreview(expression: string, now: Date, count = 3): CronPreview {
  if (!expression.trim()) return null;
  try {
    const schedule = parseCron(expression);
    const next: string[] = [];
    let after = now;
    for (let i = 0; i < count; i++) {
      after = schedule.next(after);
      next.push(formatDateTime(after));
    }
    return { ok: true, description: schedule.describe(), next };
  } catch (error) {
    if (error instanceof CronError) return { ok: false, message: error.message.charAt(0).toUpperCase() + error.message.slice(1) };
    throw error;
  }
}

// Xero's API limits (developer.xero.com › Guides › OAuth 2.0 › API limits; faq/limits): per tenant,
// 5 calls in progress, 60 calls a minute and 5,000 a day, both rolling windows; per app, 10,000 calls a
// minute across its tenants. Every answer reports X-DayLimit-Remaining, X-MinLimit-Remaining and
// X-AppMinLimit-Remaining; a 429 adds Retry-After and X-Rate-Limit-Problem naming the limit hit
// (minute, day, appminute or concurrent). `scale` multiplies every allowance (tests reach the daily
// limit at scale 0.002: 10 calls).
import { Concurrency, QuotaSet, RollingWindow } from "@/lib/sandbox/rate-limit";

export const XERO_LIMITS = { concurrent: 5, minute: 60, day: 5000, appMinute: 10_000 } as const;

/**
 * The app-wide minute, one per scale: the sandbox is one app, so all its Xero tenants (of every
 * sandbox server in this process) share it, as Xero counts an app's calls across tenants.
 */
const appMinutes = new Map<number, RollingWindow>();

function appMinute(scale: number): RollingWindow {
  let window = appMinutes.get(scale);
  if (!window) {
    window = new RollingWindow(Math.max(1, Math.round(XERO_LIMITS.appMinute * scale)), 60_000);
    appMinutes.set(scale, window);
  }
  return window;
}

export function xeroLimiter(scale: number): QuotaSet {
  const scaled = (n: number) => Math.max(1, Math.round(n * scale));
  return new QuotaSet([
    // Checked in this order: a call refused as concurrent uses none of the windows' allowance.
    { name: "concurrent", quota: new Concurrency(scaled(XERO_LIMITS.concurrent)) },
    { name: "day", quota: new RollingWindow(scaled(XERO_LIMITS.day), 24 * 3600_000), remainingHeader: "X-DayLimit-Remaining" },
    { name: "minute", quota: new RollingWindow(scaled(XERO_LIMITS.minute), 60_000), remainingHeader: "X-MinLimit-Remaining" },
    { name: "appminute", quota: appMinute(scale), remainingHeader: "X-AppMinLimit-Remaining" },
  ]);
}

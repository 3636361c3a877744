// Which Admin API version answers a request, as Shopify decides it
// (https://shopify.dev/docs/api/usage/versioning, read December 2026):
// - a stable version every quarter, named YYYY-01, -04, -07 or -10, released on the quarter's first day
//   at 17:00 UTC and supported for 12 months, so four stable versions are supported at any time;
// - the next quarter's version is the release candidate, and `unstable` is always there;
// - a request for a stable version that is no longer supported "falls forward": Shopify answers with the
//   oldest supported stable version, as it does for a request that names no version;
// - X-Shopify-API-Version names the version that answered, so a client sees when it fell forward.
// The emulator renders every version with the 2024-10 reference's resources (render.ts): it does not
// emulate differences between versions, only which version answered.

const RELEASE_MONTHS = [1, 4, 7, 10] as const;
const RELEASE_HOUR_UTC = 17;
const SUPPORTED_STABLE_VERSIONS = 4;
const STABLE = /^(\d{4})-(01|04|07|10)$/;

interface Release {
  year: number;
  month: number;
}

const handle = ({ year, month }: Release) => `${year}-${String(month).padStart(2, "0")}`;
const releasedAt = ({ year, month }: Release) => Date.UTC(year, month - 1, 1, RELEASE_HOUR_UTC);

function shift({ year, month }: Release, quarters: number): Release {
  const index = year * 4 + (month - 1) / 3 + quarters;
  return { year: Math.floor(index / 4), month: (index % 4) * 3 + 1 };
}

/** The newest stable version released by `now`. */
function newestStable(now: number): Release {
  const year = new Date(now).getUTCFullYear();
  for (let release: Release = { year, month: RELEASE_MONTHS[3] }; ; release = shift(release, -1)) {
    if (releasedAt(release) <= now) return release;
  }
}

/**
 * The version that answers a request for `requested` (null: the path names no version) at `now`, or
 * null when Shopify has no such version (never released, not a version name): the request is a 404.
 */
export function answeringVersion(requested: string | null, now: number): string | null {
  const newest = newestStable(now);
  const oldest = handle(shift(newest, 1 - SUPPORTED_STABLE_VERSIONS));
  const releaseCandidate = handle(shift(newest, 1));
  if (requested === null) return oldest;
  if (requested === "unstable") return requested;
  if (!STABLE.test(requested) || requested > releaseCandidate) return null;
  // Version names sort as strings in release order.
  return requested < oldest ? oldest : requested;
}

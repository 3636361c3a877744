// Did `npm install` change anything this machine installs? Compares the committed package-lock.json
// (git's HEAD) with the one on disk after the install, leaving out the optional packages built for
// another platform (their `os`/`cpu`/`libc` exclude this machine): the registry mirror these machines
// reach adds and drops those entries over time, and npm writes whatever the mirror has, so they
// would fail the check on a lockfile that installs exactly the same packages here. Every other
// entry — version, integrity, dependencies — must be identical. Exit 1 with the differences.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const libc = process.platform === "linux" ? (process.report.getReport().header.glibcVersionRuntime ? "glibc" : "musl") : undefined;

/** npm's rule for `os`/`cpu`/`libc`: a list of allowed values, or of `!excluded` ones. */
function allows(list, value) {
  if (!Array.isArray(list) || list.length === 0) return true;
  if (value === undefined) return false;
  const excluded = list.filter((v) => v.startsWith("!")).map((v) => v.slice(1));
  if (excluded.includes(value)) return false;
  const allowed = list.filter((v) => !v.startsWith("!"));
  return allowed.length === 0 || allowed.includes(value);
}

function foreign(entry) {
  return Boolean(entry.optional) && !(allows(entry.os, process.platform) && allows(entry.cpu, process.arch) && allows(entry.libc, libc));
}

function installable(lock) {
  return Object.fromEntries(Object.entries(lock.packages ?? {}).filter(([, entry]) => !foreign(entry)));
}

const committed = JSON.parse(execFileSync("git", ["show", "HEAD:package-lock.json"], { encoding: "utf8", maxBuffer: 64 << 20 }));
const installed = JSON.parse(readFileSync("package-lock.json", "utf8"));
const before = installable(committed);
const after = installable(installed);

const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => !isDeepStrictEqual(before[name], after[name]));
if (changed.length) {
  console.error(`ci: npm install changed ${changed.length} lockfile entries this machine installs:`);
  for (const name of changed.slice(0, 40)) console.error(`  ${name || "(root)"}: ${before[name]?.version ?? "absent"} -> ${after[name]?.version ?? "absent"}`);
  process.exit(1);
}
const foreignDelta = Object.keys(installed.packages).length - Object.keys(committed.packages).length;
console.log(
  `ci: lockfile holds for this machine (${Object.keys(after).length} entries; other platforms' optional entries ${foreignDelta >= 0 ? "+" : ""}${foreignDelta})`,
);

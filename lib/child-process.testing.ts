// A TypeScript script in a process of its own, for tests that need real OS processes (several app
// processes on one database, a worker or app killed with SIGKILL). Node itself runs it with tsx's
// loader: the tsx CLI would run the script in a grandchild that a SIGKILL misses.
import { spawn, type ChildProcess } from "node:child_process";

export interface TsxChild {
  child: ChildProcess;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
  /** The first match of `pattern` in what it prints; rejects, with its stderr, if it exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

export function spawnTsx(script: string, env: Record<string, string>, options: { stdin?: boolean } = {}): TsxChild {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (pattern) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const look = () => {
          const match = pattern.exec(stdout);
          if (match) {
            child.stdout!.off("data", look);
            resolve(match);
          }
        };
        child.stdout!.on("data", look);
        look();
        void exited.then((code) => reject(new Error(`${script} exited (${code}) before printing ${pattern}: ${stderr}`)));
      }),
  };
}

// The layering rules, checked on the code's own imports (TypeScript's pre-processor reads them, so an
// import in a comment or a string is not one). The README's "Architecture" section draws the layers.
//   - No import circles in the product's code: a module that needs its importer to load is two files' worth of one idea.
//   - Nothing in lib/ or components/ imports app/: pages and routes are the top layer, and what a
//     component needs (dashboard actions and their schemas) lives in lib/dashboard. Nothing in lib/
//     imports components/: the domain does not know how it is drawn.
//   - inngest/ never imports the embedded worker: both run the same lib/ functions, neither runs the other.
// Tests and their helpers (*.test.ts, *.testing.ts) are consumers, not layers: they may import anything.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "components", "lib", "inngest", "scripts", "bench", "e2e"];
const SOURCE_FILES = ["proxy.ts", "instrumentation.ts"];
const SKIP = new Set(["node_modules", "generated", ".next"]);

const isTest = (file: string) => /\.(test|testing|spec)\.tsx?$/.test(file) || /\.child\.ts$/.test(file);

function walk(dir: string, into: string[]): void {
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) walk(relative, into);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) into.push(relative);
  }
}

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) walk(dir, files);
  for (const file of SOURCE_FILES) if (exists(file)) files.push(file);
  return files.filter((file) => !isTest(file));
}

function exists(file: string): boolean {
  try {
    return statSync(path.join(ROOT, file)).isFile();
  } catch {
    return false;
  }
}

/** The project file an import names, or null for a package or a non-code file. */
function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (/\.(ts|tsx|mts)$/.test(candidate) && exists(candidate)) return candidate;
  }
  return null;
}

/** The modules a file loads when it runs: `import type` and `export type` are erased by the compiler. */
function runtimeSpecifiers(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** Every import (types too) for the layering rules; only the ones that run for circles. */
function importGraphs(): { all: Map<string, string[]>; runtime: Map<string, string[]> } {
  const all = new Map<string, string[]>();
  const runtime = new Map<string, string[]>();
  const targetsOf = (file: string, specifiers: string[]) => [
    ...new Set(specifiers.map((specifier) => resolve(file, specifier)).filter((target): target is string => target !== null && !isTest(target))),
  ];
  for (const file of sourceFiles()) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    all.set(
      file,
      targetsOf(
        file,
        ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName),
      ),
    );
    runtime.set(file, targetsOf(file, runtimeSpecifiers(file, text)));
  }
  return { all, runtime };
}

/** Tarjan's strongly connected components of more than one file (or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return found;
}

const offending = (graph: Map<string, string[]>, from: (file: string) => boolean, to: (file: string) => boolean) =>
  [...graph].flatMap(([file, targets]) => (from(file) ? targets.filter(to).map((target) => `${file} -> ${target}`) : []));

describe("architecture", () => {
  const { all: graph, runtime } = importGraphs();

  it("reads the imports it checks", () => {
    // A resolver that found nothing would pass every rule below.
    expect(graph.get("inngest/functions/sync.ts")).toContain("lib/sync/runner.ts");
    expect(graph.get("components/sync-jobs/job-editor.tsx")?.length).toBeGreaterThan(3);
    // `import type { SandboxAccount }` is read for the layers, not for circles.
    expect(graph.get("lib/sandbox/platform.ts")).toContain("lib/sandbox/accounts.ts");
    expect(runtime.get("lib/sandbox/platform.ts")).not.toContain("lib/sandbox/accounts.ts");
  });

  it("has no import circles among the modules that load each other", () => {
    // Two interfaces that name each other (an emulated platform and its accounts) may sit in two
    // files with `import type`: erased when compiled, such a loop loads nothing twice.
    expect(circles(runtime)).toEqual([]);
  });

  it("finds a circle when there is one", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(circles(looped)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("keeps lib/ and components/ from importing app/", () => {
    expect(
      offending(
        graph,
        (file) => file.startsWith("lib/") || file.startsWith("components/"),
        (target) => target.startsWith("app/"),
      ),
    ).toEqual([]);
  });

  it("keeps lib/ from importing components/", () => {
    expect(
      offending(
        graph,
        (file) => file.startsWith("lib/"),
        (target) => target.startsWith("components/"),
      ),
    ).toEqual([]);
  });

  it("keeps inngest/ from importing the embedded worker", () => {
    expect(
      offending(
        graph,
        (file) => file.startsWith("inngest/"),
        (target) => target.startsWith("lib/worker/"),
      ),
    ).toEqual([]);
  });
});

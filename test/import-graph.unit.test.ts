import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layering of docs/architecture.md, held against the code: no import cycle in src, and no room
// importing one above it. Relative imports only (packages are not rooms); `import type` counts too,
// because a type-only cycle is still two files that cannot be read apart.

type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

function importGraph(root: string): Graph {
  const g: Graph = new Map();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/g)].map((m) => m[1]!);
    const deps = specs
      .map((s) => path.normalize(path.join(path.dirname(file), s.replace(/\.js$/, ".ts"))))
      .filter((d) => existsSync(d));
    g.set(file, deps);
  }
  return g;
}

/** Strongly connected components of more than one file (Tarjan): each is an import cycle. */
function cycles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Imports from `from` (a folder or file of src) into any of `above`: each one is an upward import. */
function upward(g: Graph, from: string, above: string[]): string[] {
  const inRoom = (f: string, room: string) => f === room || f.startsWith(room + path.sep);
  return [...g].flatMap(([f, deps]) =>
    inRoom(f, from) ? deps.filter((d) => above.some((a) => inRoom(d, a))).map((d) => `${f} -> ${d}`) : [],
  );
}

const g = importGraph("src");

describe("the import graph of src", () => {
  it("finds a cycle when there is one (the check itself)", () => {
    const planted: Graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(cycles(planted)).toEqual([["a", "b", "c"]]);
  });

  it("reads the whole tree", () => {
    expect(g.size).toBeGreaterThan(200);
    expect([...g.values()].flat().length).toBeGreaterThan(800);
  });

  it("has no import cycle", () => {
    expect(cycles(g)).toEqual([]);
  });

  it("has no upward import: a command calls a service, never the database; data access never reaches up", () => {
    const top = ["src/cli", "src/runtime.ts"];
    // The migrator is the deploy tool `migrate`, `verify` and `rollback` call, as other commands call a service.
    expect(upward(g, "src/cli", ["src/db"])).toEqual([]);
    expect(upward(g, "src/services", [...top, "src/jobs", "src/events", "src/worker-services.ts"])).toEqual([]);
    expect(upward(g, "src/jobs", [...top, "src/events", "src/worker-services.ts"])).toEqual([]);
    expect(upward(g, "src/db", [...top, "src/services", "src/jobs", "src/events", "src/migrator", "src/ops"])).toEqual(
      [],
    );
    const lowest = ["src/money.ts", "src/months.ts", "src/reports", "src/hostwinds", "src/invoices", "src/config"];
    for (const room of lowest) expect(upward(g, room, [...top, "src/services", "src/jobs", "src/db"])).toEqual([]);
  });
});

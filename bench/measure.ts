import { readFileSync } from "node:fs";

export interface Figure {
  section: string;
  metric: string;
  value: string;
  target?: string;
  met?: boolean;
}

export const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
export const median = (xs: number[]) => percentile(xs, 50);

/** Runs `fn` `n` times, returns each duration in ms. */
export async function timeRuns(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Peak resident set size of a process (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function printFigures(figures: Figure[], header: string): void {
  const rows = figures.map((f) => [
    f.section,
    f.metric,
    f.value,
    f.target ?? "",
    f.met === undefined ? "" : f.met ? "met" : "NOT MET",
  ]);
  const head = ["section", "metric", "measured", "target", ""];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(w[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(
    `\n${header}\n${line(head)}\n${w.map((x) => "-".repeat(x)).join("  ")}\n${rows.map(line).join("\n")}\n`,
  );
}

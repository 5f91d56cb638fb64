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

/** The columns of the final table: a title, and each figure's text in it. */
const COLUMNS: { title: string; text: (f: Figure) => string }[] = [
  { title: "section", text: (f) => f.section },
  { title: "metric", text: (f) => f.metric },
  { title: "measured", text: (f) => f.value },
  { title: "target", text: (f) => f.target ?? "" },
  { title: "", text: (f) => (f.met === undefined ? "" : f.met ? "met" : "NOT MET") },
];

export function printFigures(figures: Figure[], header: string): void {
  const columns = COLUMNS.map((c) => ({
    ...c,
    width: Math.max(c.title.length, ...figures.map((f) => c.text(f).length)),
  }));
  const line = (text: (c: (typeof columns)[number]) => string) =>
    columns
      .map((c) => text(c).padEnd(c.width))
      .join("  ")
      .trimEnd();
  const rows = figures.map((f) => line((c) => c.text(f)));
  process.stdout.write(
    `\n${header}\n${line((c) => c.title)}\n${columns.map((c) => "-".repeat(c.width)).join("  ")}\n${rows.join("\n")}\n`,
  );
}

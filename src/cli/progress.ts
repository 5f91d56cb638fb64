/**
 * Progress of long work on stderr, only when stderr is a terminal: "chunk 3 of 20 · 1500 of 10000
 * VPS (15%) · 250 VPS/s · ETA 0:34". The rate counts from the first report seen, so a resumed
 * reconciliation's earlier chunks do not inflate it.
 */

/** One report: how many of how many, and the chunk when the work has chunks. */
export interface ProgressSample {
  done: number;
  total: number;
  chunk?: number;
  chunks?: number;
}

interface Start {
  at: number;
  done: number;
}

/** `m:ss` or `h:mm:ss`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** The line for `sample`, given where counting started and the time now (milliseconds). */
export function progressLine(label: string, sample: ProgressSample, o: { start: Start; now: number }): string {
  const { done, total } = sample;
  const percent = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100;
  const parts = [`${done} of ${total} VPS (${percent}%)`];
  if (sample.chunk !== undefined && sample.chunks !== undefined)
    parts.unshift(`chunk ${sample.chunk} of ${sample.chunks}`);
  const seconds = (o.now - o.start.at) / 1000;
  const rate = seconds > 0 ? (done - o.start.done) / seconds : 0;
  if (rate > 0) {
    parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} VPS/s`);
    parts.push(`ETA ${duration((total - done) / rate)}`);
  } else {
    parts.push("ETA …");
  }
  return `${label}: ${parts.join(" · ")}`;
}

/** A progress line that rewrites itself on a terminal; silent on anything else (CI logs stay clean). */
export class ProgressLine {
  #start: Start | undefined;
  #shown = false;
  readonly #tty: boolean;

  constructor(
    private readonly err: NodeJS.WritableStream,
    private readonly label: string,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.#tty = (err as { isTTY?: boolean }).isTTY === true;
  }

  update(sample: ProgressSample): void {
    if (!this.#tty) return;
    const now = this.clock();
    this.#start ??= { at: now, done: sample.done };
    this.err.write(`\r${progressLine(this.label, sample, { start: this.#start, now })}\x1b[K`);
    this.#shown = true;
  }

  /** Clears the line, so what follows starts on a clean one. */
  end(): void {
    if (this.#shown) this.err.write("\r\x1b[K");
    this.#shown = false;
  }
}

/** A reconciliation's progress as its job reports it (`{ checked, total, percent, chunk, chunks }`); undefined for anything else. */
export function reconcileProgress(data: unknown): ProgressSample | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const p = data as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const done = num(p.checked);
  const total = num(p.total);
  if (done === undefined || total === undefined) return undefined;
  return { done, total, chunk: num(p.chunk), chunks: num(p.chunks) };
}

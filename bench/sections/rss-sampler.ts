import { readFileSync } from "node:fs";

/**
 * Samples a process's resident memory (Linux /proc) every 100 ms until stopped: its peak (VmHWM,
 * read at the last sample) and its growth from the first fifth of the samples to the end.
 */
export function rssSampler(pid: number) {
  const samples: number[] = [];
  let peakMb = 0;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${String(pid)}/status`, "utf8");
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (rss) samples.push(Number(rss[1]) / 1024);
      if (hwm) peakMb = Math.max(peakMb, Number(hwm[1]) / 1024);
    } catch {
      // The process has exited: the samples so far are all there is.
    }
  };
  const timer = setInterval(read, 100);
  return {
    stop(): { peakMb: number; growthMb: number } {
      clearInterval(timer);
      const early = Math.max(0, ...samples.slice(0, Math.max(1, Math.floor(samples.length / 5))));
      const late = Math.max(0, ...samples.slice(Math.floor(samples.length / 5)));
      return { peakMb, growthMb: late - early };
    },
  };
}

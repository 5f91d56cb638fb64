import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Lines per invoice in the generated file (the reader once kept one counter per invoice number). */
const LINES_PER_INVOICE = 100;

export const HEADER =
  "invoice_number,invoice_date,service_id,hostname,ip,description,amount,currency,period_start,period_end";

/** Writes `lines` rows after the header, as `row(i)` makes them, with the stream's back-pressure. */
async function writeFile(path: string, lines: number, row: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER + "\n");
  for (let i = 0; i < lines; i++) if (!out.write(row(i) + "\n")) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

/** The i-th line's month (one line per VPS and month) and VPS number, with its period text. */
function slot(i: number, vps: number) {
  const month = Math.floor(i / vps);
  const k = (i % vps) + 1;
  const start = new Date(Date.UTC(2026, month, 1));
  const end = new Date(Date.UTC(2026, month + 1, 0));
  const [y, m] = [String(start.getUTCFullYear()), String(start.getUTCMonth() + 1).padStart(2, "0")];
  return { k, y, m, period: `(${m}/01/${y} - ${m}/${String(end.getUTCDate())}/${y})` };
}

/**
 * The i-th line of a corrected file (Finance's second export of the same invoices): as `slot`, but
 * one line in a hundred of the third month carries the eleventh month's period (a typo fixed: the
 * line moves), and one in a hundred of the fifth month names the VPS of the line before it, so the
 * line it was is gone from its invoice and a line that matches another VPS's month takes its place.
 */
function correctedSlot(i: number, vps: number) {
  const s = slot(i, vps);
  const month = Math.floor(i / vps);
  if (month === 2 && s.k % 100 === 25) return { ...s, period: slot(10 * vps + s.k - 1, vps).period };
  if (month === 4 && s.k % 100 === 30) return { ...s, k: s.k - 1 };
  return s;
}

/**
 * The import's file: one line per VPS and month over as many months as it takes; 85 % VPS lines,
 * 10 % additional IPs, 3 % snapshots, 2 % service ids no row has. `distinctInvoices`: every line its
 * own invoice number (what once cost memory per invoice).
 */
export function writeInvoiceFile(
  path: string,
  o: { lines: number; vps: number; distinctInvoices?: boolean; corrected?: boolean },
): Promise<void> {
  return writeFile(path, o.lines, (i) => {
    const { k, y, m, period } = o.corrected ? correctedSlot(i, o.vps) : slot(i, o.vps);
    const invoice = o.distinctInvoices ? `D${String(i)}` : `${y}${m}${String(Math.floor(k / LINES_PER_INVOICE))}`;
    const r = i % 100;
    // A corrected file: one VPS line in a hundred at a new amount.
    const vpsAmount = o.corrected && r === 50 ? "11.49" : "10.49";
    return r < 85
      ? `${invoice},${y}-${m}-01,${String(k)},,,Cloud VPS - Linux 2 GB ${period},${vpsAmount},USD,,`
      : r < 95
        ? `${invoice},${y}-${m}-01,${String(k)},,172.16.${String(k % 250)}.${String(k % 200)},Additional IP Address ${period},4.99,USD,,`
        : r < 98
          ? `${invoice},${y}-${m}-03,${String(k)},,,Server Snapshot - 40 GB,1.00,USD,,`
          : `${invoice},${y}-${m}-01,${String(o.vps + k)},,,Cloud VPS - Linux 2 GB ${period},10.49,USD,,`;
  });
}

/**
 * A file of bad lines (every one is): amounts that are not amounts, an unknown currency, a wrong
 * column count, a NUL, and a quote inside an unquoted field, in turn.
 */
export function writeBadLinesFile(path: string, o: { lines: number; vps: number }): Promise<void> {
  return writeFile(path, o.lines, (i) => {
    const { k, y, m, period } = slot(i, o.vps);
    const head = `B${String(Math.floor(i / LINES_PER_INVOICE))},${y}-${m}-01,${String(k)},,`;
    switch (i % 5) {
      case 0:
        return `${head},Cloud VPS ${period},ten dollars,USD,,`;
      case 1:
        return `${head},Cloud VPS ${period},10.49,EUR,,`;
      case 2:
        return `${head},Cloud VPS ${period},10.49,USD`;
      case 3:
        return `${head},Cloud VPS\u0000 ${period},10.49,USD,,`;
      default:
        return `${head},Cloud "VPS" ${period},10.49,USD,,`;
    }
  });
}

import { humanDateTime } from "./dates.js";
import { formatAge } from "./format.js";
import { esc } from "./html-escape.js";

/** A date as people read it (UTC, said so), the ISO instant in its datetime attribute. */
export function time(at: Date): string {
  return `<time datetime="${esc(at.toISOString())}">${esc(humanDateTime(at))}</time>`;
}

function freshness(label: string, at: Date | null, now: Date): string {
  const value =
    at === null
      ? `<span class="never">never</span>`
      : `${time(at)} <span class="age">(${esc(formatAge(at, now))})</span>`;
  return `<dt>${esc(label)}</dt><dd>${value}</dd>`;
}

/** The page's title block: a heading, the not-billing notice, and how fresh the figures are. */
export function headerSection(o: {
  title: string;
  titleAttr?: string;
  back?: string;
  generatedAt: Date;
  freshness: { label: string; at: Date | null }[];
}): string {
  const now = o.generatedAt;
  const title = o.titleAttr === undefined ? "" : ` title="${esc(o.titleAttr)}"`;
  const back = o.back === undefined ? "" : `<p class="back"><a href="${esc(o.back)}">← All tenants</a></p>`;
  return (
    `<header class="top"><div>${back}<h1${title}>${esc(o.title)}</h1>` +
    `<p class="notice">Internal cost modelling — not billing; never shown to tenants</p></div>` +
    `<dl class="fresh"><dt>Generated</dt><dd>${time(now)}</dd>` +
    o.freshness.map((f) => freshness(f.label, f.at, now)).join("") +
    `</dl></header>`
  );
}

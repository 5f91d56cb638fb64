import { esc } from "./html-escape.js";
import { PAGE_STYLE } from "./page-style.js";

// Defence in depth behind the escaping: even a tag that slipped through could neither run
// script nor fetch anything (images, fonts, frames, connections are all 'none').
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** A complete, self-contained document around `body`: the policy, the viewport, the one stylesheet. */
export function pageShell(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex, nofollow">` +
    `<title>${esc(title)}</title><style>${PAGE_STYLE}</style></head>\n` +
    `<body><main>\n${body}\n</main></body></html>\n`
  );
}

/** The line at the foot of every page. */
export const FOOTER = `<footer>cost-sync · internal cost modelling, not billing · figures in USD per month · dates in UTC</footer>`;

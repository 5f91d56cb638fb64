/**
 * What the ops port serves, named once for the worker's start-up line and for the index at `/`, so
 * the two cannot disagree with the routes (test/ops-index.test.ts requests each one).
 */
export interface OpsEndpoint {
  path: string;
  what: string;
  /** Behind basic auth with BULL_BOARD_USER/BULL_BOARD_PASSWORD; off without them. */
  board: boolean;
}

export const OPS_ENDPOINTS: readonly OpsEndpoint[] = [
  {
    path: "/healthz",
    what: "health of Redis, PostgreSQL, the schema and the Hostwinds key (JSON; 503 when down)",
    board: false,
  },
  { path: "/metrics", what: "Prometheus metrics (docs/observability.md)", board: false },
  { path: "/admin/queues", what: "bull-board: the job queue", board: true },
  { path: "/reports/executive", what: "the executive page: cost, revenue and margin per tenant", board: true },
];

/** The worker's start-up line: where the ops port listens and every endpoint, saying which are off. */
export function opsStartupLine(url: string, boardOn: boolean): string {
  const paths = OPS_ENDPOINTS.map((e) => (e.board && !boardOn ? `${e.path} (off)` : e.path)).join(", ");
  const hint = boardOn ? "" : "; set BULL_BOARD_USER and BULL_BOARD_PASSWORD to turn on the off ones";
  return `cost-sync worker: ops on ${url} (${paths}${hint})`;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The index at `/`: a link to each endpoint (plain HTML, no script, no external resource). */
export function opsIndexHtml(boardOn: boolean): string {
  const items = OPS_ENDPOINTS.map((e) => {
    const off = e.board && !boardOn ? " <em>(off: set BULL_BOARD_USER and BULL_BOARD_PASSWORD)</em>" : "";
    const link = e.board && !boardOn ? `<code>${e.path}</code>` : `<a href="${e.path}"><code>${e.path}</code></a>`;
    return `<li>${link}: ${escape(e.what)}${off}</li>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cost-sync ops</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:48rem}code{font-size:.95em}</style></head>
<body><h1>cost-sync ops port</h1>
<ul>
${items}
</ul></body></html>
`;
}

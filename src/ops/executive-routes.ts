import type { Express, RequestHandler, Response } from "express";
import { TENANT_SORTS, type TenantSort } from "../reports/executive-page-data.js";

/** The executive pages the ops port serves, rendered from the database on each request. */
export interface ExecutivePages {
  /** The executive page, its tenant table in `sort` order. */
  overview(sort: TenantSort): Promise<string>;
  /** One tenant's page; null when no such tenant exists. `tenantId` is a lower-case uuid. */
  tenant(tenantId: string): Promise<string | null>;
}

// The pages fetch nothing, run no script, and are never cached: they hold cost figures.
export const PAGE_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function plain(res: Response, status: number, text: string): void {
  res.set("Cache-Control", "no-store").status(status).type("text").send(`${text}\n`);
}

/** Sends what `render` returns; 404 for null, 503 (and `onError`) when it throws. */
async function send(
  res: Response,
  render: () => Promise<string | null>,
  onError: ((err: unknown) => void) | undefined,
): Promise<void> {
  try {
    const html = await render();
    if (html === null) plain(res, 404, "no such tenant");
    else res.set(PAGE_HEADERS).type("html").send(html);
  } catch (err) {
    onError?.(err);
    plain(res, 503, "executive page unavailable: see the worker's log");
  }
}

/**
 * /reports/executive (`?sort=` one of TENANT_SORTS, worst margin by default) and
 * /reports/executive/tenant/<uuid>, both behind `auth` (the bull-board credentials). A bad sort or id
 * is a 400 that names what is accepted.
 */
export function mountExecutivePages(
  app: Express,
  auth: RequestHandler,
  o: { pages: ExecutivePages; onError: ((err: unknown) => void) | undefined },
): void {
  app.get("/reports/executive", auth, async (req, res) => {
    const sort = req.query.sort ?? "margin";
    if (typeof sort !== "string" || !(TENANT_SORTS as readonly string[]).includes(sort)) {
      plain(res, 400, `unknown sort: use one of ${TENANT_SORTS.join(", ")}`);
      return;
    }
    await send(res, () => o.pages.overview(sort as TenantSort), o.onError);
  });
  app.get("/reports/executive/tenant/:id", auth, async (req, res) => {
    const id = req.params.id;
    if (typeof id !== "string" || !UUID.test(id)) {
      plain(res, 400, "a tenant is named by its uuid here");
      return;
    }
    await send(res, () => o.pages.tenant(id.toLowerCase()), o.onError);
  });
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import type { Queue } from "bullmq";
import express, { type Express, type RequestHandler } from "express";
import type { Registry } from "prom-client";
import { mountExecutivePages, PAGE_HEADERS, type ExecutivePages } from "./executive-routes.js";
import { opsIndexHtml } from "./endpoints.js";

export interface OpsServerOptions {
  host: string;
  port: number;
  queues: Queue[];
  registry: Registry;
  /** Each returns normally when its dependency answers. */
  health: Record<string, () => Promise<unknown>>;
  board?: { user: string; password: string };
  /** The executive pages, rendered from the database on each request; served behind the board's credentials. */
  executivePages?: ExecutivePages;
  /** Told why the executive page could not be rendered (the answer only says that it could not). */
  onPageError?: (err: unknown) => void;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * `/` (links to the rest), /healthz, /metrics, and behind basic auth (both off without credentials): bull-board at
 * /admin/queues and the executive pages at /reports/executive (executive-routes.ts).
 */
export async function startOpsServer(
  o: OpsServerOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/", (_req, res) => {
    res
      .set(PAGE_HEADERS)
      .type("html")
      .send(opsIndexHtml(o.board !== undefined));
  });
  app.get("/healthz", healthz(o.health));
  app.get("/metrics", async (_req, res) => {
    res.type(o.registry.contentType).send(await o.registry.metrics());
  });
  if (o.board) {
    await mountBoard(app, o.queues, o.board);
    if (o.executivePages)
      mountExecutivePages(app, basicAuth(o.board.user, o.board.password), {
        pages: o.executivePages,
        onError: o.onPageError,
      });
  }

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${o.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** 200 when every dependency answers within 2 s, else 503; each check's outcome by name. */
function healthz(health: OpsServerOptions["health"]): RequestHandler {
  return async (_req, res) => {
    const checks: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of Object.entries(health)) {
      try {
        await Promise.race([
          check(),
          new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 2000).unref()),
        ]);
        checks[name] = "ok";
      } catch (err) {
        ok = false;
        checks[name] = `down: ${(err as Error).message}`;
      }
    }
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", checks });
  };
}

/** bull-board at /admin/queues, behind basic auth. */
async function mountBoard(app: Express, queues: Queue[], board: { user: string; password: string }): Promise<void> {
  // Loaded only when the UI is on: it is the heaviest part of the ops server.
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/express"),
  ]);
  const adapter = new ExpressAdapter();
  adapter.setBasePath("/admin/queues");
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  app.use("/admin/queues", basicAuth(board.user, board.password));
  // Typed `any` by bull-board; it is the adapter's own Express app.
  app.use("/admin/queues", adapter.getRouter() as Express);
}

function basicAuth(user: string, password: string): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? "";
    const [scheme, encoded] = header.split(" ");
    const [u, ...p] = Buffer.from(encoded ?? "", "base64")
      .toString()
      .split(":");
    if (scheme === "Basic" && safeEqual(u ?? "", user) && safeEqual(p.join(":"), password)) {
      next();
      return;
    }
    res.setHeader("WWW-Authenticate", 'Basic realm="cost-sync queues", charset="UTF-8"');
    res.status(401).send("authentication required");
  };
}

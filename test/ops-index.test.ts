import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPS_ENDPOINTS, opsIndexHtml, opsStartupLine } from "../src/ops/endpoints.js";
import { API_KEY, Harness } from "./support/harness.js";
import { spawnWorker, type WorkerProcess } from "./support/worker-process.js";

const USER = "ops";
const PASSWORD = "ops-index-password";
const AUTH = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` };
const h = new Harness();
let w: WorkerProcess | undefined;

beforeAll(async () => {
  await h.setup();
  w = await spawnWorker({
    DATABASE_URL: h.db.url,
    HOSTWINDS_API_URL: h.sim.url,
    HOSTWINDS_API_KEY: API_KEY,
    QUEUE_PREFIX: h.prefix,
    OPS_HOST: "127.0.0.1",
    BULL_BOARD_USER: USER,
    BULL_BOARD_PASSWORD: PASSWORD,
  });
}, 90_000);
afterAll(async () => {
  if (w && w.child.exitCode === null) {
    w.child.kill("SIGTERM");
    await w.exited;
  }
  await h.teardown();
}, 60_000);

describe("the ops port", { timeout: 60_000 }, () => {
  it("names /healthz, /metrics, /admin/queues and /reports/executive in the start-up line", () => {
    const line = w!.stdout.join("").split("\n")[0]!;
    expect(line).toBe(`cost-sync worker: ops on ${w!.opsUrl} (/healthz, /metrics, /admin/queues, /reports/executive)`);
  });

  it("links every endpoint from /, and each link answers (the board's behind its credentials)", async () => {
    const index = await fetch(`${w!.opsUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    const html = await index.text();
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(["/healthz", "/metrics", "/admin/queues", "/reports/executive"]);
    for (const link of links) {
      const r = await fetch(`${w!.opsUrl}${link!}`, { headers: AUTH });
      expect(r.status, link).toBe(200);
    }
    expect((await fetch(`${w!.opsUrl}/reports/executive`)).status).toBe(401);
  });

  it("serves Node's default metrics under their standard names beside cost_sync_build_info", async () => {
    const text = await (await fetch(`${w!.opsUrl}/metrics`)).text();
    expect(text).toMatch(/^process_start_time_seconds \d+/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(text).toMatch(/^cost_sync_build_info\{version="[^"]+"\} 1$/m);
    expect(text).not.toMatch(/^cost_sync_(process|nodejs)_/m);
  });
});

describe("without the board's credentials", () => {
  it("the start-up line and / say which endpoints are off and link only the others", () => {
    expect(opsStartupLine("http://127.0.0.1:9464", false)).toBe(
      "cost-sync worker: ops on http://127.0.0.1:9464 (/healthz, /metrics, /admin/queues (off), /reports/executive (off); set BULL_BOARD_USER and BULL_BOARD_PASSWORD to turn on the off ones)",
    );
    const html = opsIndexHtml(false);
    expect([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(["/healthz", "/metrics"]);
    expect(html.match(/\(off: set BULL_BOARD_USER and BULL_BOARD_PASSWORD\)/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script/i);
    expect(OPS_ENDPOINTS.map((e) => e.path)).toEqual(["/healthz", "/metrics", "/admin/queues", "/reports/executive"]);
  });
});

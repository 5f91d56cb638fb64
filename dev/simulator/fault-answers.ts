import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Fault } from "./faults.js";
import { LIVE_NOT_AUTHORIZED, send, sendRaw } from "./send.js";

/** What a fault answer may repeat back: the request as it arrived. */
export interface FaultRequest {
  action: string;
  rawBody: string;
  key: string | null;
}

/** Answers one request the way `fault` says; `latency` is handled by the server before this. */
export async function answerFault(fault: Fault, req: FaultRequest, res: ServerResponse): Promise<void> {
  const { action } = req;
  switch (fault.type) {
    case "latency":
      return;
    case "status":
      if (fault.retryAfterSeconds !== undefined) res.setHeader("retry-after", String(fault.retryAfterSeconds));
      sendRaw(res, fault.status, JSON.stringify([{ result: "error", action, message: `HTTP ${fault.status}` }]));
      return;
    case "hang":
      return; // never answers; the client's deadline must fire
    case "reset":
      res.socket?.destroy();
      return;
    case "malformed":
      sendRaw(res, 200, '{"success": {"10": {"rid": "10", "monthly": "9.');
      return;
    case "error-array":
      send(res, 200, [{ result: "error", action, message: fault.message, ERROR: "SIMULATED" }]);
      return;
    case "auth":
      answerAuth(fault.shape ?? "object", action, res);
      return;
    case "wrong-shape":
      send(res, 200, { success: { "10": { rid: "10", monthly: 9.999, note: "price as an inexact JSON number" } } });
      return;
    case "oversized":
      await sendOversized(res, fault.bytes, fault.declareLength);
      return;
    case "echo": {
      const sha = req.key === null ? "" : createHash("sha256").update(req.key).digest("hex");
      const message = `cannot process ${req.rawBody} (key ${req.key ?? "none"}, sha256 ${sha})`;
      send(res, 200, [{ result: "error", action, message }]);
      return;
    }
    case "body":
      for (const [name, value] of Object.entries(fault.headers ?? {})) res.setHeader(name, value);
      sendRaw(res, fault.status ?? 200, fault.json);
  }
}

function answerAuth(shape: "object" | "array" | 401 | 403, action: string, res: ServerResponse): void {
  if (shape === "object") send(res, 200, LIVE_NOT_AUTHORIZED);
  else if (shape === "array") send(res, 200, [{ result: "error", action, message: "Not Authorized!" }]);
  else send(res, shape, LIVE_NOT_AUTHORIZED);
}

/** Valid JSON of exactly `bytes` bytes, written in pieces as the client reads (never held whole). */
async function sendOversized(res: ServerResponse, bytes: number, declareLength: boolean): Promise<void> {
  const head = '{"success":"';
  const tail = '"}';
  res.writeHead(200, { "content-type": "application/json", ...(declareLength ? { "content-length": bytes } : {}) });
  res.write(head);
  const piece = Buffer.alloc(64 * 1024, "x");
  let left = bytes - head.length - tail.length;
  while (left > 0 && !res.destroyed) {
    const chunk = left >= piece.length ? piece : piece.subarray(0, left);
    left -= chunk.length;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end(tail);
}

/** Waits until the socket takes more, or the client has gone (which ends the loop above). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.once("drain", done).once("close", done);
  });
}

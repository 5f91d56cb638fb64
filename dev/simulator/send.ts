import type { ServerResponse } from "node:http";

/**
 * Hostwinds' answer to a refused key as people saw it from the live API: a bare object, not the
 * documented array (docs/hostwinds-contract.md). Also its answer to a JSON body.
 */
export const LIVE_NOT_AUTHORIZED = { result: "error", action: "Authorization", message: "Not Authorized!" };

/** Answers with `body` as JSON. */
export function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

/** Answers with text that is already JSON (or deliberately is not). */
export function sendRaw(res: ServerResponse, status: number, json: string, contentType = "application/json"): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(json) });
  res.end(json);
}

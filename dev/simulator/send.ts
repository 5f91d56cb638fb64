import type { ServerResponse } from "node:http";

/** Answers with `body` as JSON. */
export function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

/** Answers with text that is already JSON (or deliberately is not). */
export function sendRaw(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

import { hostwindsError, type HostwindsError } from "./errors.js";

/**
 * Hostwinds' error objects, wherever an answer carries them (docs/hostwinds-contract.md,
 * "Envelopes"): `{result: "error", action?, message?, ERROR?}` as the whole answer (seen live, for
 * an authorization failure), as an element of the documented error array, as the value of
 * `success`, or as an element of a list. Recognised before any schema runs, so an error is never
 * reported as "response failed validation".
 */
export interface ErrorObject {
  result: string;
  action?: unknown;
  message?: unknown;
  ERROR?: unknown;
}

/** How an answer was wrapped, as `hostwinds check` reports it. */
export type EnvelopeKind = "success" | "error object" | "error array" | "bare";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A plain object whose `result` is "error" (any case). */
export function isErrorObject(value: unknown): value is ErrorObject {
  return isRecord(value) && typeof value.result === "string" && value.result.toLowerCase() === "error";
}

/** The error object `node` is, or the first one among its elements (array) or member values (object). */
function errorAt(node: unknown): { error: ErrorObject; inList: boolean } | undefined {
  if (isErrorObject(node)) return { error: node, inList: false };
  const elements = Array.isArray(node) ? node : isRecord(node) ? Object.values(node) : [];
  const error = elements.find(isErrorObject);
  return error ? { error, inList: Array.isArray(node) } : undefined;
}

/** The error an answer carries: at its top, one level down, in `success`, or one level into `success`. */
export function findErrorObject(body: unknown): ErrorObject | undefined {
  return (errorAt(body) ?? (isRecord(body) && "success" in body ? errorAt(body.success) : undefined))?.error;
}

/** The wrapping of a parsed answer: an error (object or array) wins over `success`. */
export function envelopeKind(body: unknown): EnvelopeKind {
  const found = errorAt(body) ?? (isRecord(body) && "success" in body ? errorAt(body.success) : undefined);
  if (found) return found.inList ? "error array" : "error object";
  return isRecord(body) && "success" in body ? "success" : "bare";
}

const AUTH_MESSAGE = /not authori[sz]ed|invalid api|api key/i;

/** An error object about the key: `action: "Authorization"` (seen live), or a message that says so. */
function isAuthRefusal(error: ErrorObject): boolean {
  const action = typeof error.action === "string" ? error.action : "";
  const message = typeof error.message === "string" ? error.message : "";
  return /^authori[sz]ation$/i.test(action) || AUTH_MESSAGE.test(message);
}

/**
 * What every authorization failure says, whatever its shape: the variable to check and the
 * allow-list. Hostwinds refuses a key used from an address that is not on the key's allow-list
 * with the same "Not Authorized!" as a wrong key, and the allow-list takes IPv4 addresses.
 */
const AUTH_ADVICE =
  "Hostwinds refused HOSTWINDS_API_KEY: check the key, and that this host's IPv4 address is on the key's " +
  "allow-list in the Hostwinds client area (the worker connects over IPv4 unless HOSTWINDS_IP_FAMILY says otherwise)";

/** The `what` of an authorization failure: Hostwinds' own words, the status, then the advice. */
export function authWhat(hostwindsMessage: string | undefined, status: number): string {
  const said = hostwindsMessage ? `"${hostwindsMessage}"` : "no message";
  return `not authorized (${said}, HTTP ${status}). ${AUTH_ADVICE}`;
}

/**
 * Hostwinds' answer to an action it does not know (`{"result":"error","message":"Invalid Action.",
 * "ERROR":"6734"}`, no `action` field): about the API, not about one instance, whatever was asked.
 */
const isUnknownAction = (error: ErrorObject): boolean =>
  typeof error.message === "string" && /^\s*invalid action\.?\s*$/i.test(error.message);

/**
 * The HostwindsError for an error object: `auth` when it is about the key, `unknown_action` when
 * Hostwinds does not know the action, else a permanent `input` error.
 */
export function errorObjectError(
  error: ErrorObject,
  o: { action: string; status: number; secret: string | undefined },
): HostwindsError {
  const message = textOf(error.message) ?? "error";
  const code = error.ERROR === undefined ? undefined : textOf(error.ERROR);
  const details = { status: o.status, hostwindsMessage: message, code };
  const auth = isAuthRefusal(error);
  const unknown = !auth && isUnknownAction(error);
  const what = auth
    ? authWhat(message, o.status)
    : unknown
      ? `Hostwinds does not know this action ("${message}"${code ? `, ERROR ${code}` : ""}): the API changed`
      : `error: ${message}`;
  return hostwindsError({
    kind: auth ? "auth" : unknown ? "unknown_action" : "input",
    action: o.action,
    what,
    secret: o.secret,
    details,
  });
}

/**
 * A field of an error object as text: the codes seen are strings ("SERVICE_NOT_FOUND"); a number
 * or boolean prints as itself, anything else as JSON rather than "[object Object]".
 */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

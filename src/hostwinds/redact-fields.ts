/**
 * Credential-like fields removed from saved answers (`hostwinds check --save`), by an ALLOW-list:
 * a field keeps its value only if it is one the contract documents (docs/hostwinds-contract.md)
 * and none of them holds a secret; every other scalar becomes "[removed]". A deny-list (`password`,
 * `configkey`, names with pass/secret/token/key) only catches the names someone thought of: a
 * `rootpw`, `vnc` or `console_url?sig=…` field Hostwinds adds tomorrow would be saved in clear.
 * With the allow-list an unknown field is visible (its name stays, with "[removed]") and costs a
 * look and a line here, never a leaked secret. The deny-list still runs on top, so that a field
 * named like a credential is removed even if it were ever allow-listed by mistake.
 *
 * The rewrite is textual: every byte that is not a removed value stays as it arrived (a price
 * sent as `9.90` is not re-serialised as `9.9`).
 */

/** Fields whose values a recording keeps: what pricing, the untracked check and `hostwinds check` read. */
const KEPT_FIELDS = new Set([
  // envelopes
  "success",
  "result",
  "action",
  "message",
  "ERROR",
  // get_price_list options and custom components
  "id",
  "rid",
  "name",
  "ram",
  "cpu",
  "disk",
  "bandwidth",
  "monthly",
  "quarterly",
  "semiannually",
  "annually",
  "biennially",
  "triennially",
  "mysort",
  "current",
  "promo",
  "discount",
  "pctoff",
  "code",
  "percent",
  "mtotal",
  "cycles",
  "firsts",
  "resource",
  "pricing",
  "options",
  "value",
  // get_instance(s)
  "serviceid",
  "billingcycle",
  "hourly",
  "product_id",
  "product_name",
  "status",
  "main_ip",
  "ips",
  "hostname",
  "srvrname",
  "dedicatedip",
  "domain",
  "location",
  "os",
  "nextduedate",
  "regdate",
  "amount",
  "recurringamount",
  // get_billingcycle_prices and check_upgrade_order
  "price",
  "recurring",
  "duedate",
  "orderid",
  "invoiceid",
  "total",
]);

/** Names that say credential, whatever the allow-list says (the serviceid and the pricing fields aside). */
const CREDENTIAL_NAME = /pass|pwd|secret|token|key|auth|credential|cookie|session|signature/i;
const NEVER_CREDENTIAL = new Set(["serviceid", "rid", "id", "product_id"]);

const REMOVED = "[removed]";

/** Whether a field of this name keeps its value in a recording. Keys that are ids (digits) are data. */
export function keepsValue(name: string): boolean {
  if (NEVER_CREDENTIAL.has(name)) return true;
  if (CREDENTIAL_NAME.test(name)) return false;
  return KEPT_FIELDS.has(name) || /^\d+$/.test(name) || KEPT_FIELDS.has(name.toLowerCase());
}

const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]|\s+/y;

interface Frame {
  kind: "object" | "array";
  /** The field the current value belongs to (an array's elements belong to the array's field). */
  field: string | undefined;
  expectKey: boolean;
}

/**
 * The JSON text with the value of every field that does not keep its value (see keepsValue)
 * replaced by "[removed]", and the names of those fields. Undefined when the text is not JSON.
 */
export function removeCredentialFields(text: string): { text: string; removed: string[] } | undefined {
  const stack: Frame[] = [];
  const removed = new Set<string>();
  let out = "";
  let pendingKey: string | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m || m.index !== at) return undefined;
    const tok = m[0];
    const top = stack.at(-1);
    if (/^\s/.test(tok) || tok === ":") out += tok;
    else if (tok === ",") {
      out += tok;
      if (top?.kind === "object") top.expectKey = true;
    } else if (tok === "{" || tok === "[") {
      stack.push({ kind: tok === "{" ? "object" : "array", field: fieldOf(top, pendingKey), expectKey: tok === "{" });
      out += tok;
    } else if (tok === "}" || tok === "]") {
      stack.pop();
      out += tok;
    } else if (top?.kind === "object" && top.expectKey) {
      pendingKey = JSON.parse(tok) as string;
      top.expectKey = false;
      out += tok;
    } else {
      const field = fieldOf(top, pendingKey);
      if (field !== undefined && !keepsValue(field) && tok !== "null") {
        removed.add(field);
        out += JSON.stringify(REMOVED);
      } else out += tok;
    }
  }
  return stack.length === 0 ? { text: out, removed: [...removed].sort() } : undefined;
}

function fieldOf(top: Frame | undefined, pendingKey: string | undefined): string | undefined {
  if (!top) return undefined;
  return top.kind === "object" ? pendingKey : top.field;
}

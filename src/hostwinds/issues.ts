import type { z } from "zod";

/**
 * Schema failures in words an operator can act on: the field, the value Hostwinds sent, and what
 * is wrong with it (`billingcycle "Weekly" is not a Hostwinds cycle`, `billingcycle is missing`).
 */

/** A value as a short JSON excerpt (long values are cut: a reason is one line). */
export function preview(value: unknown, max = 40): string {
  // JSON.stringify(undefined) is undefined, whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  const text = json ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** One issue, against the value that was validated. Messages written as "is …" read after the value. */
function describeIssue(root: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  const value = valueAt(root, issue.path);
  if (path === "") return `${preview(value)}: ${issue.message}`;
  if (value === undefined) return `${path} is missing`;
  return issue.message.startsWith("is ")
    ? `${path} ${preview(value)} ${issue.message}`
    : `${path} ${preview(value)}: ${issue.message}`;
}

/** The first `max` issues, joined. */
export function describeIssues(root: unknown, issues: readonly z.core.$ZodIssue[], max = 3): string {
  return issues
    .slice(0, max)
    .map((i) => describeIssue(root, i))
    .join("; ");
}

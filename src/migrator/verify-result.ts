import type pg from "pg";

/** PASS: as it should be; WARN: look at it (`verify` still exits 0); FAIL: wrong (exit 1). */
export type CheckStatus = "PASS" | "WARN" | "FAIL";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** The offending ids (the first ID_LIMIT)… */
  ids?: string[];
  /** …and how many there are. */
  count?: number;
}

export type Outcome = Omit<CheckResult, "name">;

/** One verification: its name is known even when it cannot run. */
export interface Check {
  name: string;
  run(c: pg.Client): Promise<Outcome>;
}

export const pass = (detail = "ok"): Outcome => ({ status: "PASS", detail });
export const fail = (detail: string, rows?: { ids: string[]; count: number }): Outcome => ({
  status: "FAIL",
  detail,
  ...rows,
});
export const warn = (detail: string, rows?: { ids: string[]; count: number }): Outcome => ({
  status: "WARN",
  detail,
  ...rows,
});

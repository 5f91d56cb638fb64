import type { ExpectedTable } from "./expected-tables.js";

/** Column types written the way information_schema/format_type spells them. */
export const TS = "timestamp with time zone";
export const UUID = "uuid";

/** A table cost-sync creates: every column exactly as listed, and cost-sync writes it. */
export const ours = (name: string, columns: Record<string, string>) =>
  ({
    name,
    owner: "cost-sync",
    columns,
    exact: Object.keys(columns),
    inserts: Object.keys(columns),
    privileges: ["SELECT", "INSERT", "UPDATE"],
  }) satisfies ExpectedTable;

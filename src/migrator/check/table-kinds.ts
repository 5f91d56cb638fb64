/** What the worker and the CLI may do with a table. */
export type Privilege = "SELECT" | "INSERT" | "UPDATE";

/** What cost-sync expects of one table: the shape every expected-table list is written in. */
export interface ExpectedTable {
  name: string;
  /** "application": PenguinMails owns it, cost-sync creates it only where it is missing. */
  owner: "application" | "cost-sync";
  /** Columns cost-sync's SQL reads or writes, with the type its migrations give them. */
  columns: Readonly<Record<string, string>>;
  /** Columns whose type must match exactly: all of cost-sync's own, and those it adds to an application table. */
  exact: readonly string[];
  /** Columns cost-sync's INSERTs give; any other NOT NULL column needs a default. */
  inserts?: readonly string[];
  /** Characters the longest value cost-sync writes into a text column needs. */
  minChars?: Readonly<Record<string, number>>;
  /** What the worker and the CLI do with the table once migrated. */
  privileges: readonly Privilege[];
}

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

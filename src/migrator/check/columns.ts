import type { Catalog, Column } from "./catalog.js";
import { EXPECTED_TABLES, type ExpectedTable } from "./expected.js";
import type { Finding } from "./report.js";

/** Types cost-sync's SQL treats alike: a difference within a family is a warning, across families a block. */
function family(type: string): string {
  if (/^(text|character varying|character)\b/.test(type)) return "text";
  if (/^(smallint|integer|bigint|numeric)\b/.test(type)) return "number";
  if (/^timestamp\b/.test(type)) return "timestamp";
  return type;
}

const charLimit = (type: string): number | undefined => {
  const m = /^character(?: varying)?\((\d+)\)$/.exec(type);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

const isTable = (kind: string | undefined) => kind === "r" || kind === "p";

function typeFinding(t: ExpectedTable, col: Column, expected: string): Finding | undefined {
  if (col.type === expected) return undefined;
  const exact = t.exact.includes(col.column);
  const limit = charLimit(col.type);
  const needs = t.minChars?.[col.column];
  const tooShort = needs !== undefined && limit !== undefined && limit < needs;
  const block = exact || family(col.type) !== family(expected) || tooShort;
  const alter = `ALTER TABLE ${t.name} ALTER COLUMN ${col.column} TYPE ${expected}`;
  return {
    severity: block ? "block" : "warn",
    topic: "column type",
    object: t.name,
    column: col.column,
    problem: `is ${col.type}; cost-sync ${t.owner === "cost-sync" || exact ? "creates it as" : t.privileges.length > 1 ? "reads and writes it as" : "reads it as"} ${expected}${tooShort ? ` and writes values of up to ${String(needs)} characters` : ""}`,
    fix: block
      ? exact
        ? `${alter} (values that do not fit make it fail: look at them first)`
        : `have the application's owners change it (${alter}), or tell the cost-sync team: its SQL cannot work with ${col.type}`
      : "none needed: cost-sync's SQL works with it (noted in case a figure looks off)",
  };
}

/** Columns cost-sync relies on that are missing or of another type, and NOT NULL columns its INSERTs leave out. */
export function columnFindings(cat: Catalog): Finding[] {
  const findings: Finding[] = [];
  for (const t of EXPECTED_TABLES) {
    if (!isTable(cat.relations.get(t.name)?.kind)) continue;
    const actual = new Map((cat.columns.get(t.name) ?? []).map((c) => [c.column, c]));
    for (const [name, expected] of Object.entries(t.columns)) {
      const col = actual.get(name);
      if (col) {
        const f = typeFinding(t, col, expected);
        if (f) findings.push(f);
      } else if (t.owner === "application" && !t.exact.includes(name)) {
        findings.push({
          severity: "block",
          topic: "missing column",
          object: t.name,
          column: name,
          problem: `does not exist; cost-sync's SQL reads it (${expected})`,
          fix: `the table is not the documented one (docs/data-model.md): add the column or tell the cost-sync team`,
        });
      }
    }
    findings.push(...notNullFindings(t, [...actual.values()]));
  }
  return findings;
}

function notNullFindings(t: ExpectedTable, columns: Column[]): Finding[] {
  if (!t.inserts) return [];
  const given = new Set(t.inserts);
  return columns
    .filter((c) => c.not_null && !c.has_default && !given.has(c.column))
    .map((c) => ({
      severity: "block",
      topic: "not null",
      object: t.name,
      column: c.column,
      problem: `is NOT NULL without a default, and cost-sync's INSERTs leave it out${c.column === "updated_by" ? " (cost-sync never writes the application's updated_by)" : ""}`,
      fix: `ALTER TABLE ${t.name} ALTER COLUMN ${c.column} SET DEFAULT <a value the application accepts>, or ALTER TABLE ${t.name} ALTER COLUMN ${c.column} DROP NOT NULL`,
    }));
}

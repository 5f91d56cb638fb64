import { describe, expect, it } from "vitest";
import { compile, withIncludes } from "../src/db/sql.js";
import { factsHash, opportunityId, type SavingsKind } from "../src/services/savings/identity.js";
import { PG_ADMIN_URL, withClient } from "./support/pg.js";

// The SQL kinds' ids and facts hashes are computed in PostgreSQL (savings/candidates.sql), the billing
// cycles' in the process (identity.ts): both must give the same, or ids move and dismissals reopen.

const expr = (name: string) => withIncludes(`/* @include ${name} */`);
const SQL = compile(`
  SELECT ${expr("savings-opportunity-id")} AS id,
         left(encode(sha256(convert_to(${expr("savings-stable-facts")}, 'UTF8')), 'hex'), 16) AS facts_hash
    FROM (SELECT :kind::text AS kind, :facts::jsonb AS facts, :resource::text AS resource) f
   CROSS JOIN LATERAL (SELECT f.kind, f.resource) k`).text;

// Strings JSON must escape (quotes, backslashes, control characters), beyond ASCII, and nulls.
const odd = 'a"b\\c\n\t\u0001\u001f é ✓ 😀 \u2028';
const SAMPLES: { kind: SavingsKind; resource: string; facts: Record<string, unknown> }[] = [
  {
    kind: "idle_ip",
    resource: "0b1c5d6e-0000-4000-8000-000000000001",
    facts: { status: "available", cost: "4.99", since: "2026-09-08T12:34:56.123456+00:00" },
  },
  { kind: "idle_ip", resource: "", facts: { status: null, cost: "0.50", since: null } },
  {
    kind: "idle_vps",
    resource: "0b1c5d6e-0000-4000-8000-000000000002",
    facts: {
      vpsCost: "9.00",
      ips: [
        { ip: "10.0.0.2", status: "burned", cost: "4.99", idleSince: "2026-09-08T12:34:56+00:00" },
        { ip: odd, status: null, cost: "1.00", idleSince: null },
      ],
    },
  },
  { kind: "idle_vps", resource: "0b1c5d6e-0000-4000-8000-000000000003", facts: { vpsCost: "9.00", ips: [] } },
  {
    kind: "billed_after_decommission",
    resource: "0b1c5d6e-0000-4000-8000-000000000004",
    facts: { invoiceMonth: "2026-11", invoicedUsd: "10.00" },
  },
  { kind: "untracked", resource: "123456", facts: { cost: null, plan: odd } },
  { kind: "untracked", resource: "7", facts: { cost: "12.34", plan: null } },
];

describe("savings identity in SQL", () => {
  it("gives each SQL kind the id and facts hash identity.ts gives it", async () => {
    await withClient(PG_ADMIN_URL, async (c) => {
      for (const s of SAMPLES) {
        const { rows } = await c.query<{ id: string; facts_hash: string }>(SQL, [
          s.kind,
          JSON.stringify(s.facts),
          s.resource,
        ]);
        expect(rows).toEqual([
          { id: opportunityId(s.kind, s.resource), facts_hash: factsHash({ kind: s.kind, facts: s.facts }) },
        ]);
      }
    });
  });
});

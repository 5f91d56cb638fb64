import type pg from "pg";
import { formatCents } from "../../src/money.js";
import type { Change, History } from "./model.js";

/**
 * Writes a generated history (model.ts) into a migrated database: tenants, VPS and IPs in their
 * final state, domains and assignments of the shared VPS, and every change in cost_history with its
 * time. The event triggers are off while it writes (session_replication_role, as the benchmark's
 * seeding does), so no sync is enqueued for made-up rows.
 */
export async function writeHistory(c: pg.Client, h: History): Promise<void> {
  await c.query("SET session_replication_role = replica");
  try {
    await c.query("BEGIN");
    await insertRows(c, h);
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  } finally {
    await c.query("SET session_replication_role = origin");
  }
  await c.query("ANALYZE cost_history, vps_instances, smtp_ip_addresses, domain_ip_assignments");
}

const BATCH = 20_000;
const last = (changes: Change[]) => changes[changes.length - 1];

/** Runs `sql` over `columns` (arrays, sliced in batches) and then `constants` (passed whole). */
async function batched(c: pg.Client, sql: string, columns: unknown[][], ...constants: unknown[]): Promise<void> {
  const n = columns[0]?.length ?? 0;
  for (let i = 0; i < n; i += BATCH)
    await c.query(sql, [...columns.map((col) => col.slice(i, i + BATCH)), ...constants]);
}

async function insertRows(c: pg.Client, h: History): Promise<void> {
  const t = h.tenants;
  await batched(
    c,
    `INSERT INTO tenants (id, name, created) SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])`,
    [t.map((x) => x.id), t.map((x) => x.name), t.map((x) => x.joined)],
  );
  const v = h.vps;
  await batched(
    c,
    `INSERT INTO vps_instances (id, hostwinds_instance_id, status, tenant_id, approximate_cost, approximate_cost_source,
                                approximate_cost_override, decommission_scheduled_for, created)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::numeric[], $6::text[], $7::numeric[], $8::timestamptz[], $9::timestamptz[])`,
    [
      v.map((x) => x.id),
      v.map((x) => x.serviceid),
      v.map((x) => x.status),
      v.map((x) => x.tenantId),
      v.map((x) => formatCents(last(x.changes)?.cents ?? 0n)),
      v.map((x) => last(x.changes)?.source ?? null),
      v.map((x) => (x.overrideCents === null ? null : formatCents(x.overrideCents))),
      v.map((x) => x.decommissionScheduledFor),
      v.map((x) => x.created),
    ],
  );
  const ips = v.flatMap((x) => x.ips.map((ip, k) => ({ ip, vps: x, k })));
  await batched(
    c,
    `INSERT INTO smtp_ip_addresses (id, vps_instance_id, ip_address, status, approximate_cost, approximate_cost_source, created)
     SELECT id, vps, addr, 'assigned', cost, src, created
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::numeric[], $5::text[], $6::timestamptz[]) AS u(id, vps, addr, cost, src, created)`,
    [
      ips.map((x) => x.ip.id),
      ips.map((x) => x.vps.id),
      ips.map((x, n) => `10.${String((n >> 16) & 255)}.${String((n >> 8) & 255)}.${String(n & 255)}`),
      ips.map((x) => formatCents(last(x.ip.changes)?.cents ?? 0n)),
      ips.map((x) => last(x.ip.changes)?.source ?? null),
      ips.map((x) => x.vps.created),
    ],
  );
  await insertAssignments(c, h);
  await insertChanges(c, h);
}

async function insertAssignments(c: pg.Client, h: History): Promise<void> {
  const a = h.assignments;
  if (a.length === 0) return;
  await batched(
    c,
    `WITH d AS (
       INSERT INTO domains (tenant_id, domain) SELECT t, 'd' || n || '.example' FROM unnest($1::uuid[], $2::int[]) AS u(t, n)
       RETURNING id, tenant_id, domain
     )
     INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status, assigned, expires)
     SELECT d.id, u.ip, CASE WHEN u.expires <= $6 THEN 'expired' ELSE 'active' END, u.assigned, u.expires
       FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS u(t, n, ip, assigned, expires)
       JOIN d ON d.domain = 'd' || u.n || '.example'`,
    [
      a.map((x) => x.tenantId),
      a.map((_, n) => n),
      a.map((x) => x.ipId),
      a.map((x) => x.assigned),
      a.map((x) => x.expires),
    ],
    h.config.end,
  );
}

async function insertChanges(c: pg.Client, h: History): Promise<void> {
  const rows: { kind: string; id: string; old: bigint | null; change: Change; n: number }[] = [];
  const add = (kind: string, id: string, changes: Change[]) =>
    changes.forEach((change, n) =>
      rows.push({ kind, id, old: n === 0 ? 0n : (changes[n - 1]?.cents ?? null), change, n }),
    );
  for (const v of h.vps) {
    add("vps", v.id, v.changes);
    for (const ip of v.ips) add("ip", ip.id, ip.changes);
  }
  await batched(
    c,
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     SELECT k, id, old, new, src, 'generated history', 'generated-' || n, at
       FROM unnest($1::text[], $2::uuid[], $3::numeric[], $4::numeric[], $5::text[], $6::int[], $7::timestamptz[])
            AS u(k, id, old, new, src, n, at)`,
    [
      rows.map((r) => r.kind),
      rows.map((r) => r.id),
      rows.map((r) => (r.old === null ? null : formatCents(r.old))),
      rows.map((r) => formatCents(r.change.cents)),
      rows.map((r) => r.change.source),
      rows.map((r) => r.n),
      rows.map((r) => r.change.at),
    ],
  );
}

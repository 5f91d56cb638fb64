import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_MARKER, demoDatabaseName, NotTheDemosDatabaseError, recreateDemoDatabase } from "../dev/demo/database.js";
import { UsageError } from "../src/cli/usage-error.js";
import { Capture, stdin } from "./support/cli-streams.js";
import { adminQuery, PG_ADMIN_URL, urlFor, withClient } from "./support/pg.js";

// A database of this run's own, standing in for cost_sync_demo (which a developer may be using).
const name = `cs_demo_${randomBytes(4).toString("hex")}`;
const server = new URL(PG_ADMIN_URL);
const io = (o: { tty: boolean; answer?: string }) => ({ err: new Capture(), input: stdin(o) });
const comment = async () =>
  (
    await withClient(PG_ADMIN_URL, (c) =>
      c.query<{ comment: string | null }>(
        `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
        [name],
      ),
    )
  ).rows[0]?.comment;
const hasTable = () =>
  withClient(
    urlFor(name),
    async (c) => (await c.query<{ ok: boolean }>(`SELECT to_regclass('keep_me') IS NOT NULL AS ok`)).rows[0],
  );

afterAll(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

describe("the demo's database", () => {
  it("never drops a database it did not create", async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    await withClient(urlFor(name), (c) => c.query(`CREATE TABLE keep_me (id int)`));
    await expect(recreateDemoDatabase(server, { yes: true, io: io({ tty: false }), name })).rejects.toThrow(
      NotTheDemosDatabaseError,
    );
    expect(await hasTable()).toEqual({ ok: true });
    expect(await comment()).toBeNull();
    await adminQuery(`DROP DATABASE ${name}`);
  });

  it("creates it with its mark, and drops its own only when confirmed", async () => {
    expect(await recreateDemoDatabase(server, { yes: false, io: io({ tty: false }), name })).toBe(true);
    expect(await comment()).toBe(DEMO_MARKER);
    await withClient(urlFor(name), (c) => c.query(`CREATE TABLE keep_me (id int)`));
    // Not a terminal and no --yes: refused, nothing dropped.
    await expect(recreateDemoDatabase(server, { yes: false, io: io({ tty: false }), name })).rejects.toThrow(
      UsageError,
    );
    // A terminal that answers no: left as it was.
    const declined = io({ tty: true, answer: "n" });
    expect(await recreateDemoDatabase(server, { yes: false, io: declined, name })).toBe(false);
    expect(declined.err.text).toContain(`Drop and recreate the demo database ${name}`);
    expect(await hasTable()).toEqual({ ok: true });
    // A terminal that answers yes, then --yes: dropped and recreated, marked again.
    expect(await recreateDemoDatabase(server, { yes: false, io: io({ tty: true, answer: "y" }), name })).toBe(true);
    expect(await hasTable()).toEqual({ ok: false });
    expect(await recreateDemoDatabase(server, { yes: true, io: io({ tty: false }), name })).toBe(true);
    expect(await comment()).toBe(DEMO_MARKER);
  });

  it("takes another name with --database, a plain one only (exit 2 otherwise)", () => {
    expect(demoDatabaseName()).toBe("cost_sync_demo");
    expect(demoDatabaseName(name)).toBe(name);
    for (const bad of ["Bad-Name", "x; DROP DATABASE postgres", "", "a".repeat(64)])
      expect(() => demoDatabaseName(bad)).toThrow(UsageError);
  });
});

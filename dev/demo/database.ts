import { confirm } from "../../src/cli/confirm.js";
import type { CliIo } from "../../src/cli/spec.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { query } from "../../src/db/sql.js";
import { withPgClient } from "../../src/infrastructure.js";
import { Q } from "./statements.js";

/** The demo's database, and the comment that says it is the demo's (nothing else is ever dropped). */
export const DEMO_DB = "cost_sync_demo";
export const DEMO_MARKER = "cost-sync demo";

/** A database of that name that the demo did not create: it is left alone. */
export class NotTheDemosDatabaseError extends Error {
  override name = "NotTheDemosDatabaseError";
}

/** The demo's database name (`--database`, default cost_sync_demo); anything but a plain name is exit 2. */
export function demoDatabaseName(name: string = DEMO_DB): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new UsageError(`--database: not a plain database name (lower-case letters, digits and _): ${name}`);
  return name;
}

/**
 * Drops and recreates the demo database on `serverUrl`'s server, marked with a comment. An existing
 * database without the marker is refused; an existing demo database is dropped only after a
 * confirmation (a prompt on a terminal, `--yes` otherwise). Returns false when the person declined.
 */
export async function recreateDemoDatabase(
  serverUrl: URL,
  o: { yes: boolean; io: CliIo; name?: string },
): Promise<boolean> {
  const name = demoDatabaseName(o.name);
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  return withPgClient(admin.toString(), async (c) => {
    const [found] = await query(c, Q.databaseMarker, { name });
    if (found && found.comment !== DEMO_MARKER)
      throw new NotTheDemosDatabaseError(
        `database ${name} on ${serverUrl.host} exists and is not the demo's (no '${DEMO_MARKER}' comment): ` +
          `the demo will not drop it. Drop it yourself, or point DATABASE_URL at another server.`,
      );
    if (found) {
      const question = `Drop and recreate the demo database ${name} on ${serverUrl.host}?`;
      if (!(await confirm(o.io, { yes: o.yes, question, what: `dropping the existing ${name}` }))) return false;
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`COMMENT ON DATABASE ${name} IS '${DEMO_MARKER}'`);
    return true;
  });
}

import { migrate } from "../../src/migrator/migrate.js";
import { adminQuery, TEMPLATE_DB, urlFor } from "./pg.js";

/** Migrates one template database; each test file clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup(): Promise<() => Promise<void>> {
  await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  await migrate({ databaseUrl: urlFor(TEMPLATE_DB), smtpIpMonthlyCostUsd: "4.99" });
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  };
}

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { openPgPool } from "../infrastructure.js";
import { Resources } from "../resources.js";

const require = createRequire(import.meta.url);
let instantiated: Promise<void> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly. The package is built
 * for bundlers (it imports the .wasm as a module), so in Node we instantiate
 * the bytes ourselves and hand the exports to its JS glue, once per process.
 */
function instantiate(): Promise<void> {
  instantiated ??= (async () => {
    // The .wasm is not in the package's exports map: locate it beside the glue.
    const wasmPath = path.join(
      path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    (bg as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  return instantiated;
}

/**
 * The pg adapter's `executeScript` splits a script on every ";" — including the
 * ones inside comments, strings and DO $$ blocks — so migrations with any of
 * those break. We send the whole script as one simple-protocol query instead:
 * PostgreSQL runs it as one implicit transaction, as the native engine does.
 * PostgreSQL's own error is kept before the adapter maps it: the engine's
 * message can hide it ("unknown variant `InvalidInputValue`").
 */
class WholeScriptPrismaPg extends PrismaPg {
  constructor(
    pool: pg.Pool,
    private readonly onScriptError: (error: unknown) => void,
  ) {
    super(pool);
  }

  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        this.onScriptError(error);
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  }
}

/** What a failed migration script left behind: PostgreSQL's error, as pg raised it. */
export interface ScriptErrors {
  last(): unknown;
}

/** Runs `fn` with Prisma's own schema engine over a pg driver adapter (no native binary). */
export async function withSchemaEngine<T>(
  connectionString: string,
  fn: (engine: bg.SchemaEngine, scriptErrors: ScriptErrors) => Promise<T>,
  log: (msg: string) => void = () => {},
): Promise<T> {
  await instantiate();
  const res = new Resources();
  let last: unknown;
  try {
    // Our own pool, so that we can end it: the engine never disposes its adapter.
    const pool = openPgPool(res, connectionString, { max: 2 });
    const engine = await bg.SchemaEngine.new(
      { datamodels: undefined },
      log,
      bindMigrationAwareSqlAdapterFactory(new WholeScriptPrismaPg(pool, (e) => (last = e))),
    );
    res.add("schema engine", engine, (e) => e.free());
    return await fn(engine, { last: () => last });
  } finally {
    await res.close();
  }
}

/** The engine's description of a migrations directory. */
export function migrationsList(
  baseDir: string,
  migrations: readonly { name: string; sql: string }[],
): bg.MigrationList {
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"\n' },
    shadowDbInitScript: "",
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}

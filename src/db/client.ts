import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export { Prisma } from "../generated/prisma/client.ts";

export type Db = PrismaClient;

/**
 * Prisma over the pg driver adapter (no engine binary), on a pool the caller owns and ends. Only
 * the infrastructure factory (src/infrastructure.ts) calls this; handlers and commands receive it.
 */
export function createDb(pool: pg.Pool): Db {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

/** What repository functions need: the client itself or an interactive transaction. */
export type SqlRunner = Pick<Db, "$queryRawUnsafe" | "$executeRawUnsafe">;

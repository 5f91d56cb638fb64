import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient;

/**
 * The one way to open Prisma in this service (driver adapter, no engine
 * binary). Created by the composition root and handed down; never by handlers.
 */
export function createDb(databaseUrl: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

/** What set-based query functions need: the client itself or an interactive transaction. */
export type SqlRunner = Pick<Db, "$queryRawUnsafe" | "$executeRawUnsafe">;

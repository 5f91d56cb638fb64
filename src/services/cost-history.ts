import type { CommandRepositories } from "../db/command-repositories.js";
import type { SqlRunner } from "../db/client.js";
import { costHistory, type HistoryEntry } from "../db/read-models/provenance.js";
import type { CappedList } from "../capped-list.js";
import { resolveResource, type ResourceRef } from "./resources.js";

/** `history vps|ip <id>`: the resource `target` names, and its newest `limit` cost changes with their total. */
export async function resourceHistory(
  deps: { db: SqlRunner; lookup: CommandRepositories["lookup"] },
  target: ResourceRef,
  limit: number,
): Promise<{ id: string; history: CappedList<HistoryEntry> }> {
  const id = await resolveResource(deps.lookup, target);
  return { id, history: await costHistory(deps.db, { kind: target.kind, id, limit }) };
}

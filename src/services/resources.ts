import type { CommandRepositories } from "../db/command-repositories.js";
import { InputError } from "./errors.js";

/**
 * Which row an operator means: a VPS by its uuid or by its Hostwinds serviceid (compared without
 * leading zeros), an IP by its uuid. The form was checked by the caller (src/cli/args.ts); here an
 * id that names nothing, or a serviceid that names several rows, is refused, naming it.
 */

/** A VPS as typed: its uuid, or its Hostwinds serviceid (digits). */
export type VpsRef = { id: string } | { serviceid: string };

type Lookup = CommandRepositories["lookup"];

/** The uuid of the VPS `ref` names; an InputError when it names none or several. */
export async function resolveVps(lookup: Lookup, ref: VpsRef): Promise<string> {
  if ("serviceid" in ref) {
    const rows = await lookup.vpsByServiceId(ref.serviceid);
    const [only, second] = rows;
    if (!only) throw new InputError(`no VPS with Hostwinds serviceid ${ref.serviceid}`);
    if (second) {
      const named = rows.map((r) => `${r.storedAs} = ${r.id}`).join(", ");
      throw new InputError(
        `Hostwinds serviceid ${ref.serviceid} names ${rows.length} VPS rows (${named}): a data problem (one instance, several rows; \`cost-sync status\` lists them); use the VPS uuid`,
      );
    }
    return only.id;
  }
  if (!(await lookup.vpsExists(ref.id))) throw new InputError(`no VPS with id ${ref.id}`);
  return ref.id;
}

/** The uuid of an existing IP; an InputError otherwise. */
async function resolveIp(lookup: Lookup, id: string): Promise<string> {
  if (!(await lookup.ipExists(id))) throw new InputError(`no IP with id ${id}`);
  return id;
}

/** A VPS (by uuid or serviceid) or an IP (by uuid), as `kind` says. */
export type ResourceRef = { kind: "vps"; ref: VpsRef } | { kind: "ip"; ref: { id: string } };

/** The uuid of the VPS or IP `r` names; an InputError when it names none (or several). */
export function resolveResource(lookup: Lookup, r: ResourceRef): Promise<string> {
  return r.kind === "vps" ? resolveVps(lookup, r.ref) : resolveIp(lookup, r.ref.id);
}

/**
 * Every unit of the results store, for `deno task experiments`: the paper study's (notebooks 02 and
 * 03), EquiNet's (04-06) and the hybrid study's (08). With `EQUILAB_QUICK=1` the quick (CI) settings' units, stored under
 * `out/quick/results`.
 */
import type { UnitDefinition, UnitRegistry } from "../store/mod.ts";
import { gitCommit, gitContains } from "./_private.ts";
import { paperBackend, paperUnits } from "./paper_units.ts";
import { equiNetUnits } from "./equinet_units.ts";
import { hybridUnits } from "./hybrid_units.ts";

/** True when `EQUILAB_QUICK=1`. */
export function quickUnits(): boolean {
  return Deno.env.get("EQUILAB_QUICK") === "1";
}

/**
 * The registry the runner loads.
 *
 * @example
 * ```ts ignore
 * import { unitRegistry } from "./units.ts";
 * const ids = (await unitRegistry.definitions()).map((unit) => unit.id);
 * ```
 */
export const unitRegistry: UnitRegistry = {
  async definitions(): Promise<UnitDefinition[]> {
    const quick = quickUnits();
    return [
      ...await paperUnits({ quick }),
      ...await equiNetUnits({ quick }),
      ...await hybridUnits({ quick }),
    ] as UnitDefinition[];
  },
  backend: paperBackend,
  git: gitCommit,
  supersedes: gitContains,
};

/**
 * The real EquiNet files from the mirror, resolved through the registry (checksums verified) and
 * loaded with lib/data's loader (market columns as stored, by position). Undefined when the mirror
 * is absent.
 */
import { type DailyBars, loadBars, resolveDataset } from "../../lib/data/mod.ts";
import { mirrorDir } from "./_mirror.ts";

let cached: Promise<DailyBars[]> | undefined;

export function realEquinetBars(): Promise<DailyBars[]> | undefined {
  const folder = mirrorDir();
  if (folder === undefined) return undefined;
  cached ??= (async () => {
    const resolved = await resolveDataset("equinet-319", {
      mirrorDir: folder,
      download: false,
      select: (file) => file.path.endsWith(".xlsx"),
    });
    const stocks: DailyBars[] = [];
    for (const file of resolved.files) stocks.push(await loadBars(file.localPath));
    return stocks;
  })();
  return cached;
}

/**
 * The real EquiNet files from the mirror, as plain bars (read with lib/data/xlsx, resolved
 * through the registry so their checksums are verified). Undefined when the mirror is absent.
 */
import { resolveDataset } from "../../lib/data/registry.ts";
import { readXlsx } from "../../lib/data/xlsx/mod.ts";
import { mirrorDir } from "./_mirror.ts";

export interface PlainBars {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  marketvolume: Float64Array;
  marketlimit: Float64Array;
  marketrange: Float64Array;
  meta: { file: string };
}

let cached: Promise<PlainBars[]> | undefined;

export function realEquinetBars(): Promise<PlainBars[]> | undefined {
  const folder = mirrorDir();
  if (folder === undefined) return undefined;
  cached ??= (async () => {
    const resolved = await resolveDataset("equinet-319", {
      mirrorDir: folder,
      download: false,
      select: (file) => file.path.endsWith(".xlsx"),
    });
    const stocks: PlainBars[] = [];
    for (const file of resolved.files) {
      const rows = readXlsx(await Deno.readFile(file.localPath)).rows.slice(1);
      const column = (index: number) => Float64Array.from(rows, (row) => row[index] as number);
      stocks.push({
        dates: rows.map((row) => String(row[0]).trim().replaceAll("/", "-")),
        open: column(1),
        high: column(2),
        low: column(3),
        close: column(4),
        volume: column(5),
        marketvolume: column(6),
        marketlimit: column(7),
        marketrange: column(8),
        meta: { file: file.localPath },
      });
    }
    return stocks;
  })();
  return cached;
}

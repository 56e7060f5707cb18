/** The machine a unit ran on (not exported from mod.ts). */
import type { UnitMachine } from "./unit.ts";

let cached: UnitMachine | undefined;

/** CPU model, logical cores, OS and Deno version of this machine. */
export async function machineInfo(): Promise<UnitMachine> {
  if (cached) return cached;
  let cpu = "unknown";
  try {
    const text = await Deno.readTextFile("/proc/cpuinfo");
    cpu = text.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux, or /proc is not readable: the model stays unknown.
  }
  cached = {
    cpu,
    cores: navigator.hardwareConcurrency,
    os: `${Deno.build.os}/${Deno.build.arch}`,
    deno: Deno.version.deno,
  };
  return cached;
}

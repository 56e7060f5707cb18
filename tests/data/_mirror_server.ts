/**
 * A bounded HTTP server on 127.0.0.1 (port 0) that serves a folder, for download tests. It never
 * touches the network beyond loopback and shuts itself down after `lifetimeMs` at the latest.
 *
 * Special paths: `/stall/<path>` never answers; `/stall-body/<path>` sends headers and half the
 * body, then stalls; `/flaky/<n>/<path>` answers 503 to the first n requests; `/corrupt/<path>`
 * flips one byte; anything not in the folder is a 404.
 */
import { join } from "node:path";

export interface MirrorServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:43121/`. */
  url: string;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  /** Stops the server (idempotent). */
  close(): Promise<void>;
}

export function serveFolder(folder: string, lifetimeMs = 20_000): MirrorServer {
  const hits = new Map<string, number>();
  const stalled: (() => void)[] = [];
  const flakyCounts = new Map<string, number>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    let rest = path.slice(1);
    let mode = "plain";
    let failures = 0;
    const special = rest.match(/^(stall|stall-body|corrupt)\/(.*)$/);
    const flaky = rest.match(/^flaky\/(\d+)\/(.*)$/);
    if (special) [mode, rest] = [special[1], special[2]];
    if (flaky) [mode, failures, rest] = ["flaky", Number(flaky[1]), flaky[2]];
    if (mode === "stall") {
      await new Promise<void>((resolve) => stalled.push(resolve));
      return new Response("released", { status: 500 });
    }
    if (mode === "flaky") {
      const seen = (flakyCounts.get(rest) ?? 0) + 1;
      flakyCounts.set(rest, seen);
      if (seen <= failures) return new Response("busy", { status: 503 });
    }
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await Deno.readFile(join(folder, rest));
    } catch {
      return new Response("not found", { status: 404 });
    }
    if (mode === "corrupt") {
      bytes = bytes.slice();
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    }
    if (mode === "stall-body") {
      const half = bytes.slice(0, Math.floor(bytes.length / 2));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          stalled.push(() => {
            try {
              controller.close();
            } catch {
              // the client already cancelled the stream
            }
          });
        },
      });
      return new Response(body, { headers: { "content-length": String(bytes.length) } });
    }
    return new Response(bytes);
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    if (closed) return closed;
    clearTimeout(safety);
    for (const release of stalled.splice(0)) release();
    closed = server.shutdown();
    return closed;
  };
  const safety = setTimeout(close, lifetimeMs);
  const address = server.addr as Deno.NetAddr;
  return { url: `http://127.0.0.1:${address.port}/`, hits, close };
}

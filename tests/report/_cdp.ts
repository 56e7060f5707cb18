/**
 * A minimal Chrome DevTools Protocol client for report tests: starts headless Chromium with every
 * network path blocked, opens one page, and records every request the page makes (any scheme: the
 * DevTools Network domain reports file:, http(s):, data: and blob: requests alike).
 */
import { join } from "node:path";
import { chromium, chromiumArgs } from "./_jupyter.ts";

/** What a page did while it was open. */
export interface PageVisit {
  /** Every URL the page requested, in order (the page itself first). */
  requests: string[];
  /** URLs whose loading failed. */
  failed: string[];
  /** The value of `probe` evaluated in the page once `ready` turned true (or at the timeout). */
  probe: unknown;
  /** True when `ready` turned true before the timeout. */
  ready: boolean;
}

/** Chromium flags that leave a page no network: no DNS, a proxy to nowhere, no loopback bypass. */
export const OFFLINE_FLAGS = [
  "--host-resolver-rules=MAP * ~NOTFOUND",
  "--proxy-server=http://127.0.0.1:9",
  "--proxy-bypass-list=<-loopback>",
];

async function readPortFile(profile: string, deadline: number): Promise<{ port: string; path: string }> {
  while (Date.now() < deadline) {
    try {
      const [port, path] = (await Deno.readTextFile(join(profile, "DevToolsActivePort"))).split("\n");
      if (port && path) return { port, path };
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("Chromium did not open its DevTools port");
}

/**
 * Opens `url` in headless Chromium with the network blocked; waits until the JavaScript expression
 * `ready` is true (polled), then evaluates `probe` (a JSON-serialisable expression) and saves a PNG of
 * the first element matching each `screenshots` selector.
 */
export async function visitOffline(
  url: string,
  ready: string,
  probe: string,
  timeoutMilliseconds = 60_000,
  screenshots: { selector: string; path: string }[] = [],
): Promise<PageVisit> {
  if (!chromium) throw new Error("chromium is not installed");
  const profile = await Deno.makeTempDir({ prefix: "equilab-chromium-" });
  const process = new Deno.Command(chromium, {
    args: [
      ...chromiumArgs(profile),
      ...OFFLINE_FLAGS,
      "--remote-debugging-port=0",
      "--window-size=1280,900",
      "about:blank",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + timeoutMilliseconds;
  let socket: WebSocket | undefined;
  try {
    const { port, path } = await readPortFile(profile, deadline);
    socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise((resolve, reject) => {
      socket!.onopen = resolve;
      socket!.onerror = () => reject(new Error("could not connect to Chromium's DevTools"));
    });
    let nextId = 0;
    const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
    const requests: string[] = [];
    const failed: string[] = [];
    const urlOf = new Map<string, string>();
    let loaded = false;
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data as string);
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(JSON.stringify(message.error)));
        else waiter?.resolve(message.result);
      } else if (message.method === "Network.requestWillBeSent") {
        requests.push(message.params.request.url);
        urlOf.set(message.params.requestId, message.params.request.url);
      } else if (message.method === "Network.loadingFailed") {
        failed.push(urlOf.get(message.params.requestId) ?? message.params.requestId);
      } else if (message.method === "Page.loadEventFired") {
        loaded = true;
      }
    };
    const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
        socket!.send(JSON.stringify({ id: nextId, method, params, ...(sessionId ? { sessionId } : {}) }));
      });
    const { targetId } = await send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true }) as {
      sessionId: string;
    };
    await send("Network.enable", {}, sessionId);
    await send("Page.enable", {}, sessionId);
    await send("Page.navigate", { url }, sessionId);
    const evaluate = async (expression: string) => {
      const result = await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId) as {
        result: { value?: unknown };
      };
      return result.result.value;
    };
    let isReady = false;
    while (Date.now() < deadline) {
      if (loaded && await evaluate(`Boolean(${ready})`) === true) {
        isReady = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // A moment more for anything the page would fetch after drawing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const result = await evaluate(probe);
    for (const { selector, path } of screenshots) {
      const box = await evaluate(
        `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();` +
          ` return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }; })()`,
      ) as { x: number; y: number; width: number; height: number };
      const shot = await send("Page.captureScreenshot", {
        format: "png",
        captureBeyondViewport: true,
        clip: { ...box, scale: 1 },
      }, sessionId) as { data: string };
      await Deno.writeFile(path, Uint8Array.from(atob(shot.data), (character) => character.charCodeAt(0)));
    }
    return { requests, failed, probe: result, ready: isReady };
  } finally {
    socket?.close();
    try {
      process.kill("SIGKILL");
    } catch {
      // already gone
    }
    await process.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

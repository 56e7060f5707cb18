// A small worker pool for loading many files in parallel. Private to lib/data.
import type { FileResult, LoadArgs } from "./_read.ts";
import { fromWire, type WireResult } from "./_wire.ts";

/** Loads files on `size` workers; results come back in any order through the returned promises. */
export class LoadPool {
  #workers: Worker[] = [];
  #idle: Worker[] = [];
  #queue: { id: number; path: string; args: LoadArgs }[] = [];
  #pending = new Map<number, { resolve: (result: FileResult) => void; reject: (error: Error) => void }>();
  #nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (event: MessageEvent<{ id: number; result?: WireResult; failure?: string }>) => {
        const { id, result, failure } = event.data;
        const pending = this.#pending.get(id)!;
        this.#pending.delete(id);
        if (failure !== undefined) pending.reject(new Error(`loading failed in a worker: ${failure}`));
        else pending.resolve(fromWire(result!));
        this.#idle.push(worker);
        this.#pump();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        for (const pending of this.#pending.values()) {
          pending.reject(new Error(`a loader worker crashed: ${event.message}`));
        }
        this.#pending.clear();
      };
      this.#workers.push(worker);
      // Two jobs in flight per worker: its next file is read while the current one is parsed.
      this.#idle.push(worker, worker);
    }
  }

  /** Queues one file. */
  load(path: string, args: LoadArgs): Promise<FileResult> {
    const id = this.#nextId++;
    const promise = new Promise<FileResult>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#queue.push({ id, path, args });
    this.#pump();
    return promise;
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      this.#idle.pop()!.postMessage(this.#queue.shift()!);
    }
  }

  /** Stops every worker (pending loads are abandoned). */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
    this.#idle = [];
  }
}

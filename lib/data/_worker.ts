// Worker entry: loads one file per message with the polars-free core and sends the columns back
// (transferred, not copied). Private to lib/data; started by _pool.ts.
import { type LoadArgs, readFile } from "./_read.ts";
import { toWire } from "./_wire.ts";

interface Request {
  id: number;
  path: string;
  args: LoadArgs;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = async (event: MessageEvent<Request>) => {
  const { id, path, args } = event.data;
  try {
    const result = await readFile(path, args);
    const { wire, transfer } = toWire(result);
    scope.postMessage({ id, result: wire }, transfer);
  } catch (error) {
    scope.postMessage({
      id,
      failure: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }, []);
  }
};

/**
 * Checkpoint folders in TensorFlow.js's weights format: `model.json` (with a `weightsManifest`)
 * and `weights.bin` (little-endian float32, in manifest order), plus any extra files. A folder is
 * written whole into `<folder>.tmp` and then swapped in by renames, so an interrupted save never
 * leaves a half-written checkpoint.
 *
 * Porting note: tfjs can only save to `file://` with tfjs-node (unavailable offline), so this is a
 * small writer of the same format; `tf.io.decodeWeights` reads the files back.
 */
import { tf } from "../backend/mod.ts";
import { containedRealPath, relativePathProblem } from "../io/paths.ts";
import { pathExists } from "../io/exists.ts";

/** One named float32 array. */
export interface NamedArray {
  /** Name (e.g. `encoder0/attention/query/kernel`). */
  name: string;
  /** Tensor shape. */
  shape: number[];
  /** Values, row-major. */
  values: Float32Array;
}

/** What {@link readTensorFolder} returns. */
export interface TensorFolder {
  /** Arrays by name, in manifest order. */
  weights: Map<string, NamedArray>;
  /** `userDefinedMetadata` of model.json. */
  metadata: Record<string, unknown>;
  /** The folder actually read (the `.old` copy if a swap was interrupted). */
  folder: string;
}

/** The model.json this module writes. */
export interface ModelJson {
  /** Always "equilab-variables": weights of EquiLab's tf-op models (no Keras topology). */
  format: string;
  /** Writer. */
  generatedBy: string;
  /** Always null. */
  convertedBy: null;
  /** TF.js weights manifest: one group, file `weights.bin`. */
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: "float32" }[] }[];
  /** Free-form metadata (model options, epoch, score…). */
  userDefinedMetadata: Record<string, unknown>;
}

/** Writes a file and flushes it to disk before returning (so a rename after it is durable). */
async function writeDurably(path: string, content: Uint8Array | string): Promise<void> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    let written = 0;
    while (written < bytes.byteLength) written += await file.write(bytes.subarray(written));
    await file.syncData();
  } finally {
    file.close();
  }
}

/**
 * Concatenates arrays into one little-endian float32 buffer.
 *
 * @example
 * ```ts
 * import { packFloat32 } from "./checkpoint.ts";
 * packFloat32([Float32Array.from([1]), Float32Array.from([2, 3])]).byteLength; // 12
 * ```
 */
export function packFloat32(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((sum, array) => sum + array.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const array of arrays) {
    for (let index = 0; index < array.length; index++, offset += 4) {
      view.setFloat32(offset, array[index], true);
    }
  }
  return bytes;
}

/**
 * Splits a little-endian float32 buffer into arrays of the given sizes (`what` names the buffer in
 * errors).
 *
 * @example
 * ```ts
 * import { packFloat32, unpackFloat32 } from "./checkpoint.ts";
 * unpackFloat32(packFloat32([Float32Array.from([1, 2, 3])]), [1, 2], "example"); // [[1], [2, 3]]
 * ```
 */
export function unpackFloat32(bytes: Uint8Array, sizes: readonly number[], what: string): Float32Array[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (bytes.byteLength !== total * 4) {
    throw new RangeError(`${what}: ${bytes.byteLength} bytes, the manifest needs ${total * 4}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const arrays: Float32Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    const array = new Float32Array(size);
    for (let index = 0; index < size; index++, offset += 4) array[index] = view.getFloat32(offset, true);
    arrays.push(array);
  }
  return arrays;
}

/**
 * Writes `model.json` + `weights.bin` (+ `extraFiles`) as one folder, atomically: everything goes
 * to `<folder>.tmp`, then the old folder is renamed to `<folder>.old`, the new one into place, and
 * the old one removed.
 *
 * @example
 * ```ts
 * import { writeTensorFolder } from "./checkpoint.ts";
 * await writeTensorFolder("out/example/best", [{ name: "w", shape: [2], values: Float32Array.from([1, 2]) }]);
 * ```
 */
export async function writeTensorFolder(
  folder: string,
  weights: readonly NamedArray[],
  metadata: Record<string, unknown> = {},
  extraFiles: Record<string, Uint8Array | string> = {},
): Promise<void> {
  const temporary = `${folder}.tmp`;
  const old = `${folder}.old`;
  await Deno.remove(temporary, { recursive: true }).catch(() => {});
  await Deno.mkdir(temporary, { recursive: true });
  for (const weight of weights) {
    const size = weight.shape.reduce((product, length) => product * length, 1);
    if (size !== weight.values.length) {
      throw new RangeError(
        `writeTensorFolder: ${weight.name} has ${weight.values.length} values for shape [${weight.shape}]`,
      );
    }
  }
  const modelJson: ModelJson = {
    format: "equilab-variables",
    generatedBy: `EquiLab lib/train (TensorFlow.js ${tf.version.tfjs})`,
    convertedBy: null,
    weightsManifest: [{
      paths: ["weights.bin"],
      weights: weights.map(({ name, shape }) => ({ name, shape: [...shape], dtype: "float32" as const })),
    }],
    userDefinedMetadata: metadata,
  };
  await writeDurably(`${temporary}/weights.bin`, packFloat32(weights.map((weight) => weight.values)));
  for (const [name, content] of Object.entries(extraFiles)) {
    if (
      relativePathProblem(name) !== undefined || name.includes("/") || name === "model.json" ||
      name === "weights.bin"
    ) {
      throw new RangeError(`writeTensorFolder: bad extra file name ${name}`);
    }
    await writeDurably(`${temporary}/${name}`, content);
  }
  await writeDurably(`${temporary}/model.json`, JSON.stringify(modelJson, null, 1));
  if (await pathExists(folder)) {
    await Deno.remove(old, { recursive: true }).catch(() => {});
    await Deno.rename(folder, old);
  }
  await Deno.rename(temporary, folder);
  await Deno.remove(old, { recursive: true }).catch(() => {});
}

/**
 * The folder to read: `folder` itself, or `<folder>.old` when a save was interrupted between its
 * two renames; undefined when neither exists.
 *
 * @example
 * ```ts
 * import { resolveTensorFolder } from "./checkpoint.ts";
 * const folder = await resolveTensorFolder("out/equinet/last"); // undefined before the first save
 * ```
 */
export async function resolveTensorFolder(folder: string): Promise<string | undefined> {
  if (await pathExists(`${folder}/model.json`)) return folder;
  if (await pathExists(`${folder}.old/model.json`)) return `${folder}.old`;
  return undefined;
}

/**
 * Reads a folder written by {@link writeTensorFolder} (or any TF.js float32 weights folder). Only files
 * inside the folder are read: a weights path in `model.json` that is absolute, holds `..`, or is a link
 * leading outside throws `PathEscapeError` (lib/io) naming `model.json` and the path.
 *
 * @example
 * ```ts
 * import { readTensorFolder } from "./checkpoint.ts";
 * const { weights, metadata } = await readTensorFolder("out/example/best");
 * ```
 */
export async function readTensorFolder(folder: string): Promise<TensorFolder> {
  const actual = await resolveTensorFolder(folder);
  if (!actual) throw new Deno.errors.NotFound(`no checkpoint at ${folder} (model.json missing)`);
  const modelFile = `${actual}/model.json`;
  // model.json itself must be a file of the folder, not a link to one elsewhere.
  await containedRealPath(actual, "model.json", { file: modelFile, folderName: "the checkpoint folder" });
  const modelJson = JSON.parse(await Deno.readTextFile(modelFile)) as ModelJson;
  if (!Array.isArray(modelJson?.weightsManifest)) {
    throw new RangeError(`${modelFile}: no weightsManifest list`);
  }
  const weights = new Map<string, NamedArray>();
  for (const [groupIndex, group] of modelJson.weightsManifest.entries()) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) {
      throw new RangeError(`${modelFile}: weightsManifest[${groupIndex}] needs "paths" and "weights" lists`);
    }
    // Every weights file is checked before any is read: a crafted manifest cannot make us open a file
    // outside the checkpoint folder (by "..", an absolute path, or a link).
    const files: string[] = [];
    for (const path of group.paths) {
      files.push(
        await containedRealPath(actual, path, {
          file: modelFile,
          where: `${modelFile}: weightsManifest[${groupIndex}].paths`,
          folderName: "the checkpoint folder",
        }),
      );
    }
    const chunks = await Promise.all(files.map((file) => Deno.readFile(file)));
    const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    for (const entry of group.weights) {
      if (entry.dtype !== "float32") {
        throw new RangeError(`${modelFile}: ${entry.name} is ${entry.dtype}`);
      }
    }
    const sizes = group.weights.map((entry) => entry.shape.reduce((product, length) => product * length, 1));
    const arrays = unpackFloat32(bytes, sizes, `${actual}/${group.paths.join("+")}`);
    group.weights.forEach((entry, index) => {
      weights.set(entry.name, { name: entry.name, shape: entry.shape, values: arrays[index] });
    });
  }
  return { weights, metadata: modelJson.userDefinedMetadata ?? {}, folder: actual };
}

/**
 * The current values of named variables, as arrays for {@link writeTensorFolder}.
 *
 * @example
 * ```ts
 * import { variablesToArrays, writeTensorFolder } from "./checkpoint.ts";
 * declare const model: { namedVariables: Map<string, import("../backend/mod.ts").tf.Variable> };
 * await writeTensorFolder("out/example/best", await variablesToArrays(model.namedVariables));
 * ```
 */
export async function variablesToArrays(variables: ReadonlyMap<string, tf.Variable>): Promise<NamedArray[]> {
  const arrays: NamedArray[] = [];
  for (const [name, variable] of variables) {
    arrays.push({
      name,
      shape: [...variable.shape],
      values: (await variable.data()).slice() as Float32Array,
    });
  }
  return arrays;
}

/**
 * Assigns saved arrays to named variables; every variable must be present with the same shape.
 *
 * @example
 * ```ts
 * import { assignVariables, readTensorFolder } from "./checkpoint.ts";
 * declare const model: { namedVariables: Map<string, import("../backend/mod.ts").tf.Variable> };
 * assignVariables(model.namedVariables, (await readTensorFolder("out/example/best")).weights);
 * ```
 */
export function assignVariables(
  variables: ReadonlyMap<string, tf.Variable>,
  weights: ReadonlyMap<string, NamedArray>,
): void {
  for (const [name, variable] of variables) {
    const saved = weights.get(name);
    if (!saved) throw new RangeError(`checkpoint has no weights named ${name}`);
    if (saved.shape.join(",") !== variable.shape.join(",")) {
      throw new RangeError(
        `checkpoint ${name} has shape [${saved.shape}], the model needs [${variable.shape}]`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape)));
  }
}

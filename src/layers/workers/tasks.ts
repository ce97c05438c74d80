/**
 * The tasks a WorkerPool runs. Each task's result is a function of its (Schema-checked) input
 * alone, so it never depends on which thread runs it, in what order, or on the pool's size.
 *
 * `generate-chunk`: profiles `firstId .. firstId + count - 1` of chunk `chunk` from (seed, chunk) —
 * or their codes read from a codes file — optionally with their feature vectors (FEATURE_DIM floats
 * per row) and embeddings (`embeddingDim` floats per row); with `rowsFile`, the rows are also
 * written into a scratch SQLite file there (the one side effect, as deterministic as the result).
 * The ProfileChunk's numbers live in one ArrayBuffer and the vectors in their own Float32Arrays;
 * all of them are listed in `transfer` so a worker moves them without copying. With the rows comes
 * their digest (hashing is a third of a writer's work, so it runs here).
 *
 * `exhaustive-top` (exhaustive-task.ts): the exhaustive best matches of some origin rows.
 */
import { createHash } from "node:crypto"
import { Schema } from "effect"
import { closeSync, openSync } from "node:fs"
import {
  chunkTransferList,
  generateChunk,
  SUPPORTED_LOCALES,
  type ProfileChunk,
  type ProfileCodes
} from "../../domain/profile/index.js"
import { profileChunkDigest } from "../sqlite/profile-rows.js"
import { readCodesChunk } from "./codes-file.js"
import { exhaustiveTop, ExhaustiveTopInput, ExhaustiveTopOutput } from "./exhaustive-task.js"
import { writeProfileChunkFile } from "../sqlite/profiles-table.js"
import { EMBEDDING_DIM_RANGE, EMBEDDING_MODES, embeddingsInto, FEATURE_DIM, featuresInto } from "../../domain/vectors/index.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

export const GenerateChunkInput = Schema.Struct({
  seed: NonNegativeInt,
  chunk: NonNegativeInt,
  firstId: NonNegativeInt,
  count: NonNegativeInt,
  locale: Schema.Literal(...SUPPORTED_LOCALES),
  /** Return the profile columns and strings (false: only vectors, cheaper to move). */
  profiles: Schema.Boolean,
  /**
   * Where the chunk's codes already are (a profile table's codes file and the chunk's byte
   * offset): read them instead of regenerating. Only when `profiles` is false (no strings there).
   */
  codes: Schema.NullOr(Schema.Struct({ path: Schema.String, offset: NonNegativeInt })),
  /**
   * Write the chunk's `profiles` rows into a new SQLite file at this path (profiles-table.ts,
   * `writeProfileChunkFile`) and return the chunk's codes buffer and rows digest instead of the
   * chunk: the one side effect a task has, deterministic like its result.
   */
  rowsFile: Schema.NullOr(Schema.String),
  /** Compute the feature vectors. */
  features: Schema.Boolean,
  /** 0: no embeddings; else their dimension. */
  embeddingDim: Schema.Int.pipe(Schema.between(0, EMBEDDING_DIM_RANGE.max)),
  embeddingMode: Schema.Literal(...EMBEDDING_MODES),
  embeddingSeed: NonNegativeInt
})
export type GenerateChunkInput = typeof GenerateChunkInput.Type

const u32 = Schema.instanceOf(Uint32Array)
const u16 = Schema.instanceOf(Uint16Array)
const u8 = Schema.instanceOf(Uint8Array)
const f32 = Schema.instanceOf(Float32Array)

/** A ProfileChunk as it crosses a thread boundary (structured clone keeps views on the moved buffer). */
export const ProfileChunkSchema = Schema.Struct({
  locale: Schema.Literal(...SUPPORTED_LOCALES),
  seed: Schema.Number,
  chunk: Schema.Number,
  firstId: Schema.Number,
  count: Schema.Number,
  buffer: Schema.instanceOf(ArrayBuffer),
  musicGenres: u32,
  games: u32,
  platforms: u32,
  playStyles: u32,
  textKey: u32,
  city: u16,
  descriptionLength: u16,
  age: u8,
  sex: u8,
  availability: u8,
  interaction: u8,
  sharesContact: u8,
  primaryMusicGenre: u8,
  primaryGame: u8,
  primaryPlatform: u8,
  primaryPlayStyle: u8,
  yearsOfExperience: u8,
  mainGoal: u8,
  usesMicrophone: u8,
  languages: u8,
  competitiveLevel: u8,
  communicationStyle: u8,
  name: Schema.Array(Schema.String),
  description: Schema.Array(Schema.String)
})

export const GeneratedChunk = Schema.Struct({
  chunk: Schema.Number,
  firstId: Schema.Number,
  count: Schema.Number,
  profiles: Schema.NullOr(ProfileChunkSchema),
  /** The chunk's numeric buffer (ProfileCodes), when its rows went to a `rowsFile`. */
  codes: Schema.NullOr(Schema.instanceOf(ArrayBuffer)),
  /** sha256 of the chunk's `profiles` rows in canonical form (profile-rows.ts), with profiles or a rows file. */
  rowsDigest: Schema.NullOr(Schema.String),
  features: Schema.NullOr(f32),
  /** sha256 of the features' raw bytes, when computed. */
  featuresDigest: Schema.NullOr(Schema.String),
  embeddings: Schema.NullOr(f32),
  /** sha256 of the embeddings' raw bytes, when computed. */
  embeddingsDigest: Schema.NullOr(Schema.String)
})
export interface GeneratedChunk {
  readonly chunk: number
  readonly firstId: number
  readonly count: number
  readonly profiles: ProfileChunk | null
  readonly codes: ArrayBuffer | null
  readonly rowsDigest: string | null
  readonly features: Float32Array<ArrayBuffer> | null
  readonly featuresDigest: string | null
  readonly embeddings: Float32Array<ArrayBuffer> | null
  readonly embeddingsDigest: string | null
}

/** sha256 (hex) of a float32 array's raw little-endian bytes: a vector chunk's digest. */
export const floatsDigest = (values: Float32Array): string =>
  createHash("sha256").update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest("hex")

/** Task name -> input and output types. */
export interface Tasks {
  readonly "generate-chunk": { readonly input: GenerateChunkInput; readonly output: GeneratedChunk }
  readonly "exhaustive-top": { readonly input: ExhaustiveTopInput; readonly output: ExhaustiveTopOutput }
}
export type TaskName = keyof Tasks
export type TaskInput<K extends TaskName> = Tasks[K]["input"]
export type TaskOutput<K extends TaskName> = Tasks[K]["output"]

export const TASK_NAMES: ReadonlyArray<TaskName> = ["generate-chunk", "exhaustive-top"]

/** Schemas of each task's input and output, for decoding at the thread boundary. */
export const taskSchemas = {
  "generate-chunk": { input: GenerateChunkInput, output: GeneratedChunk },
  "exhaustive-top": { input: ExhaustiveTopInput, output: ExhaustiveTopOutput }
} as const

export interface TaskResult<A> {
  readonly value: A
  readonly transfer: ArrayBuffer[]
}

/** A chunk's codes read from a codes file at `offset` (written by generate-profiles). */
const readCodes = (input: GenerateChunkInput, path: string, offset: number): ProfileCodes => {
  const fd = openSync(path, "r")
  try {
    const header = { locale: input.locale, seed: input.seed, chunk: input.chunk, firstId: input.firstId, count: input.count }
    return readCodesChunk(fd, path, offset, header)
  } finally {
    closeSync(fd)
  }
}

const generate = (input: GenerateChunkInput): TaskResult<GeneratedChunk> => {
  const wantsRows = input.profiles || input.rowsFile !== null
  if (input.codes !== null && wantsRows) throw new Error("profile rows cannot come from a codes file (it has no strings)")
  const chunk: ProfileCodes =
    input.codes === null
      ? generateChunk(input.seed, input.chunk, input.firstId, input.count, input.locale)
      : readCodes(input, input.codes.path, input.codes.offset)
  const transfer: ArrayBuffer[] = []
  let features: Float32Array<ArrayBuffer> | null = null
  let embeddings: Float32Array<ArrayBuffer> | null = null
  if (input.features) {
    features = new Float32Array(input.count * FEATURE_DIM)
    featuresInto(chunk, features)
    transfer.push(features.buffer as ArrayBuffer)
  }
  if (input.embeddingDim > 0) {
    embeddings = new Float32Array(input.count * input.embeddingDim)
    embeddingsInto(chunk, input.embeddingDim, input.embeddingMode, input.embeddingSeed, embeddings)
    transfer.push(embeddings.buffer as ArrayBuffer)
  }
  if (input.rowsFile !== null) writeProfileChunkFile(input.rowsFile, chunk as ProfileChunk)
  if (input.profiles || input.rowsFile !== null) transfer.push(...chunkTransferList(chunk as ProfileChunk))
  return {
    value: {
      chunk: input.chunk,
      firstId: input.firstId,
      count: input.count,
      profiles: input.profiles ? (chunk as ProfileChunk) : null,
      codes: input.rowsFile !== null && !input.profiles ? chunk.buffer : null,
      rowsDigest: wantsRows ? profileChunkDigest(chunk as ProfileChunk) : null,
      features,
      featuresDigest: features === null ? null : floatsDigest(features),
      embeddings,
      embeddingsDigest: embeddings === null ? null : floatsDigest(embeddings)
    },
    transfer
  }
}

/** Runs a task on the calling thread (input already decoded). Throws what the task throws. */
export const runTaskHere = <K extends TaskName>(name: K, input: TaskInput<K>): TaskResult<TaskOutput<K>> => {
  switch (name) {
    case "generate-chunk":
      return generate(input as GenerateChunkInput) as TaskResult<TaskOutput<K>>
    case "exhaustive-top":
      return { value: exhaustiveTop(input as ExhaustiveTopInput), transfer: [] } as TaskResult<TaskOutput<K>>
    default:
      throw new Error(`unknown task '${String(name)}'; known: ${TASK_NAMES.join(", ")}`)
  }
}

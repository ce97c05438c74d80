/**
 * Writes an export into a staging directory (target-dir.ts moves it into place): every file the
 * formats ask for from every source (export-plan.ts lists them), then `manifest.json`. Files are
 * written one at a time, each fsynced before the next, chunk by chunk with a yield between chunks,
 * so progress shows, Ctrl-C interrupts within a chunk, and memory stays flat as rows grow.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { Effect } from "effect"
import type { ClusterAssignmentDescriptor } from "../artifacts/cluster-assignment.js"
import { chunkCount } from "../artifacts/profile-table-codes.js"
import { type ProfileTableDescriptor, regenerateProfileChunk } from "../artifacts/profile-table.js"
import type { VectorMatrixFiles } from "../artifacts/vector-matrix.js"
import { PROFILE_COLUMNS } from "../artifacts/profile-table-rows.js"
import { csvLine } from "./csv.js"
import { describeIoFailure, ExportError } from "./export-error.js"
import { type ExportedFile, type ExportFormat, type ExportManifest, MANIFEST_FILE } from "./export-plan.js"
import { writeAll } from "./fd-writer.js"
import { MATCH_COLUMNS, matchRow, type ScoredMatch } from "./match-export.js"
import { writeNpyFromFile } from "./npy.js"
import { NumericParquetWriter } from "./parquet-numeric.js"
import { DEFAULT_PROFILE_ROW_GROUP, ProfileCsvWriter, ProfileParquetWriter } from "./profile-export.js"

export interface ExportSources {
  readonly profiles: ReadonlyArray<{ readonly stage: string; readonly table: ProfileTableDescriptor }>
  readonly matrices: ReadonlyArray<{ readonly stage: string; readonly matrix: VectorMatrixFiles }>
  readonly clusters: ReadonlyArray<{ readonly stage: string; readonly clusters: ClusterAssignmentDescriptor }>
  readonly matches: ReadonlyArray<{ readonly stage: string; readonly matches: ReadonlyArray<ScoredMatch> }>
}

export interface ExportOptions {
  readonly formats: ReadonlyArray<ExportFormat>
  /** Rows per Parquet row group of the profile table (DEFAULT_PROFILE_ROW_GROUP). */
  readonly profileRowGroup?: number
  readonly pipeline: string | null
  readonly run: string | null
  /** Told of each file once it is complete. */
  readonly onFile?: (file: ExportedFile) => Effect.Effect<void>
  /** Told of rows written (all files' rows count; see exportRowTotal). */
  readonly onRows?: (rows: number) => Effect.Effect<void>
}

/** Rows of a vector Parquet row group: ~32 MB of 128-d embeddings. */
const VECTOR_ROW_GROUP = 65_536

/** What the progress counts: every file's rows, for a total known before writing. */
export const exportRowTotal = (sources: ExportSources, formats: ReadonlyArray<ExportFormat>): number => {
  const has = (f: ExportFormat) => formats.includes(f)
  let total = 0
  for (const p of sources.profiles) total += p.table.rows * ((has("parquet") ? 1 : 0) + (has("csv") ? 1 : 0))
  for (const m of sources.matrices) total += m.matrix.rows * ((has("npy") ? 1 : 0) + (has("parquet") ? 1 : 0))
  for (const c of sources.clusters) total += c.clusters.rows * ((has("npy") ? 1 : 0) + (has("parquet") ? 1 : 0) + (has("csv") ? 1 : 0))
  for (const m of sources.matches) total += m.matches.length * ((has("parquet") ? 1 : 0) + (has("csv") ? 1 : 0) + (has("jsonl") ? 1 : 0))
  return total
}

const fail = (action: string, path: string) => (cause: unknown) =>
  cause instanceof ExportError ? cause : new ExportError({ message: describeIoFailure(action, path, cause) })

/** Opens `path` (new), runs `write` with its descriptor, fsyncs and closes; returns its size. */
const withNewFile = <E, R>(path: string, write: (fd: number) => Effect.Effect<void, E, R>): Effect.Effect<number, E | ExportError, R> =>
  Effect.acquireUseRelease(
    Effect.try({ try: () => openSync(path, "wx"), catch: fail("create", path) }),
    (fd) =>
      write(fd).pipe(
        Effect.zipRight(
          Effect.try({
            try: () => {
              fsyncSync(fd)
              return fstatSync(fd).size
            },
            catch: fail("write", path)
          })
        )
      ),
    (fd) => Effect.sync(() => closeSync(fd))
  )

/** A synchronous step of writing `path`, its failures (ENOSPC, EFBIG, a bad source) named. */
const step = (path: string, run: () => void) => Effect.try({ try: run, catch: fail("write", path) })

export const writeExport = (staging: string, sources: ExportSources, options: ExportOptions): Effect.Effect<ExportManifest, ExportError> =>
  Effect.gen(function* () {
    const formats = options.formats
    const has = (f: ExportFormat) => formats.includes(f)
    const files: Array<ExportedFile> = []
    const onRows = options.onRows ?? (() => Effect.void)
    const done = (file: Omit<ExportedFile, "bytes">, bytes: number) =>
      Effect.gen(function* () {
        const entry: ExportedFile = { ...file, bytes }
        files.push(entry)
        if (options.onFile !== undefined) yield* options.onFile(entry)
      })

    for (const { stage, table } of sources.profiles) {
      const wanted = (["parquet", "csv"] as const).filter(has)
      if (wanted.length === 0) continue
      // One pass over the chunks feeds every wanted file (each chunk is regenerated once).
      const paths = wanted.map((f) => join(staging, `${stage}.${f}`))
      const fds: Array<number> = []
      yield* Effect.acquireUseRelease(
        Effect.try({
          try: () => {
            for (const p of paths) fds.push(openSync(p, "wx"))
            return fds
          },
          catch: fail("create", paths[fds.length] ?? staging)
        }),
        (opened) =>
          Effect.gen(function* () {
            const writers = wanted.map((f, i) =>
              f === "parquet" ? new ProfileParquetWriter(opened[i] as number, options.profileRowGroup ?? DEFAULT_PROFILE_ROW_GROUP) : new ProfileCsvWriter(opened[i] as number)
            )
            for (let c = 0; c < chunkCount(table); c++) {
              const chunk = regenerateProfileChunk(table, c)
              for (let i = 0; i < writers.length; i++) yield* step(paths[i] as string, () => writers[i]!.write(chunk))
              yield* onRows(chunk.count * writers.length)
              yield* Effect.yieldNow()
            }
            for (let i = 0; i < writers.length; i++) {
              yield* step(paths[i] as string, () => {
                writers[i]!.finish()
                fsyncSync(opened[i] as number)
              })
            }
            for (let i = 0; i < wanted.length; i++) {
              const bytes = fstatSync(opened[i] as number).size
              yield* done({ path: `${stage}.${wanted[i]}`, format: wanted[i]!, stage, content: "profiles", rows: table.rows, columns: [...PROFILE_COLUMNS] }, bytes)
            }
          }),
        (opened) => Effect.sync(() => opened.forEach((fd) => closeSync(fd)))
      )
    }

    for (const { stage, matrix } of sources.matrices) {
      if (has("npy")) {
        for (const [name, source, dtype, shape] of [
          [`${stage}.npy`, matrix.path, "<f4", [matrix.rows, matrix.dim]],
          [`${stage}.ids.npy`, matrix.idsPath, "<i8", [matrix.rows]]
        ] as const) {
          const path = join(staging, name)
          const bytes = yield* withNewFile(path, (fd) => step(path, () => writeNpyFromFile(fd, source, dtype, shape)))
          yield* done({ path: name, format: "npy", stage, content: dtype === "<f4" ? "vectors" : "ids", rows: matrix.rows, dtype, shape: [...shape] }, bytes)
        }
        yield* onRows(matrix.rows)
      }
      if (has("parquet")) {
        const name = `${stage}.parquet`
        const path = join(staging, name)
        const bytes = yield* withNewFile(path, (fd) => writeVectorParquet(fd, path, matrix, onRows))
        yield* done({ path: name, format: "parquet", stage, content: "vectors", rows: matrix.rows, columns: ["id", "vector"] }, bytes)
      }
    }

    for (const { stage, clusters } of sources.clusters) {
      if (has("npy")) {
        for (const [name, source, dtype, shape, content] of [
          [`${stage}.centroids.npy`, clusters.centroidsPath, "<f4", [clusters.k, clusters.dim], "centroids"],
          [`${stage}.assignments.npy`, clusters.assignmentsPath, "<i4", [clusters.rows], "assignments"]
        ] as const) {
          const path = join(staging, name)
          const bytes = yield* withNewFile(path, (fd) => step(path, () => writeNpyFromFile(fd, source, dtype, shape)))
          yield* done({ path: name, format: "npy", stage, content, rows: shape[0], dtype, shape: [...shape] }, bytes)
        }
        yield* onRows(clusters.rows)
      }
      if (has("parquet") || has("csv")) yield* writeClusterTables(staging, stage, clusters, has, done, onRows)
    }

    for (const { stage, matches } of sources.matches) {
      const rows = matches.length
      if (has("jsonl")) {
        const path = join(staging, "matches.jsonl")
        const bytes = yield* withNewFile(path, (fd) =>
          step(path, () => writeAll(fd, Buffer.from(matches.map((m) => `${JSON.stringify(m)}\n`).join(""))))
        )
        yield* done({ path: "matches.jsonl", format: "jsonl", stage, content: "matches", rows }, bytes)
      }
      if (has("csv")) {
        const path = join(staging, "matches.csv")
        const text = [csvLine(MATCH_COLUMNS), ...matches.map((m) => csvLine(matchRow(m)))].join("\n") + "\n"
        const bytes = yield* withNewFile(path, (fd) => step(path, () => writeAll(fd, Buffer.from(text))))
        yield* done({ path: "matches.csv", format: "csv", stage, content: "matches", rows, columns: [...MATCH_COLUMNS] }, bytes)
      }
      if (has("parquet")) {
        const path = join(staging, "matches.parquet")
        const bytes = yield* withNewFile(path, (fd) => step(path, () => writeMatchParquet(fd, matches)))
        yield* done({ path: "matches.parquet", format: "parquet", stage, content: "matches", rows, columns: [...MATCH_COLUMNS] }, bytes)
      }
      yield* onRows(rows * formats.filter((f) => f !== "npy").length)
    }

    const manifest: ExportManifest = { createdBy: "effect-pipelines", pipeline: options.pipeline, run: options.run, formats: [...formats], files }
    const path = join(staging, MANIFEST_FILE)
    yield* withNewFile(path, (fd) => step(path, () => writeAll(fd, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`))))
    return manifest
  })

/** Reads exactly `bytes.byteLength` bytes of `fd` at `position`. */
const readExactly = (fd: number, bytes: Uint8Array, position: number, source: string): void => {
  let got = 0
  while (got < bytes.byteLength) {
    const n = readSync(fd, bytes, got, bytes.byteLength - got, position + got)
    if (n === 0) throw new Error(`${source} ended early, at byte ${position + got}`)
    got += n
  }
}

/** `id` (int64) and `vector` (a list of `dim` float32) per row, read from the matrix and ids files block by block. */
const writeVectorParquet = (fd: number, path: string, matrix: VectorMatrixFiles, onRows: (rows: number) => Effect.Effect<void>) =>
  Effect.acquireUseRelease(
    Effect.try({
      try: () => {
        const vectors = openSync(matrix.path, "r")
        const ids = openSync(matrix.idsPath, "r")
        const sizes = [fstatSync(vectors).size, fstatSync(ids).size]
        if (sizes[0] !== matrix.rows * matrix.dim * 4 || sizes[1] !== matrix.rows * 8) {
          closeSync(vectors)
          closeSync(ids)
          throw new ExportError({
            message: `the matrix files do not hold ${matrix.rows} x ${matrix.dim} float32 and ${matrix.rows} ids: ${matrix.path} has ${sizes[0]} bytes, ${matrix.idsPath} ${sizes[1]}`
          })
        }
        return { vectors, ids }
      },
      catch: fail("read", matrix.path)
    }),
    ({ vectors, ids }) =>
      Effect.gen(function* () {
        const writer = yield* Effect.try({ try: () => new NumericParquetWriter(fd, [{ name: "id", type: "INT64" }, { name: "vector", type: "FLOAT_LIST", length: matrix.dim }]), catch: fail("write", path) })
        for (let first = 0; first < matrix.rows; first += VECTOR_ROW_GROUP) {
          const n = Math.min(VECTOR_ROW_GROUP, matrix.rows - first)
          const idBlock = new BigInt64Array(n)
          const vectorBlock = new Float32Array(n * matrix.dim)
          yield* Effect.try({
            try: () => {
              readExactly(ids, new Uint8Array(idBlock.buffer), first * 8, matrix.idsPath)
              readExactly(vectors, new Uint8Array(vectorBlock.buffer), first * matrix.dim * 4, matrix.path)
            },
            catch: fail("read", matrix.path)
          })
          yield* step(path, () => writer.writeRowGroup(n, [idBlock, vectorBlock]))
          yield* onRows(n)
          yield* Effect.yieldNow()
        }
        yield* step(path, () => writer.finish())
      }),
    ({ vectors, ids }) =>
      Effect.sync(() => {
        closeSync(vectors)
        closeSync(ids)
      })
  )

/** The clusters table (`id`, `cluster`, `distance`) as Parquet and CSV, and the centroids as Parquet. */
const writeClusterTables = (
  staging: string,
  stage: string,
  clusters: ClusterAssignmentDescriptor,
  has: (f: ExportFormat) => boolean,
  done: (file: Omit<ExportedFile, "bytes">, bytes: number) => Effect.Effect<void>,
  onRows: (rows: number) => Effect.Effect<void>
) =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      Effect.try({ try: () => new Database(clusters.dbPath, { readonly: true, fileMustExist: true }), catch: fail("open", clusters.dbPath) }),
      (db) => Effect.sync(() => db.close())
    )
    const columns = ["id", "cluster", "distance"]
    const select = () =>
      db.prepare(`SELECT id, cluster_id, distance FROM "${clusters.table.replaceAll('"', '""')}" ORDER BY id`).raw(true).iterate() as IterableIterator<[number, number, number]>
    if (has("parquet")) {
      const name = `${stage}.parquet`
      const path = join(staging, name)
      const bytes = yield* withNewFile(path, (fd) =>
        step(path, () => {
          const writer = new NumericParquetWriter(fd, [{ name: "id", type: "INT64" }, { name: "cluster", type: "INT32" }, { name: "distance", type: "FLOAT" }])
          let ids = new BigInt64Array(VECTOR_ROW_GROUP)
          let cluster = new Int32Array(VECTOR_ROW_GROUP)
          let distance = new Float32Array(VECTOR_ROW_GROUP)
          let n = 0
          const flush = () => {
            writer.writeRowGroup(n, [ids.subarray(0, n), cluster.subarray(0, n), distance.subarray(0, n)])
            ids = new BigInt64Array(VECTOR_ROW_GROUP)
            cluster = new Int32Array(VECTOR_ROW_GROUP)
            distance = new Float32Array(VECTOR_ROW_GROUP)
            n = 0
          }
          for (const [id, c, d] of select()) {
            ids[n] = BigInt(id)
            cluster[n] = c
            distance[n] = d
            if (++n === VECTOR_ROW_GROUP) flush()
          }
          if (n > 0) flush()
          writer.finish()
        })
      )
      yield* done({ path: name, format: "parquet", stage, content: "clusters", rows: clusters.rows, columns }, bytes)
      yield* onRows(clusters.rows)

      const centroidsName = `${stage}.centroids.parquet`
      const centroidsPath = join(staging, centroidsName)
      const centroidBytes = yield* withNewFile(centroidsPath, (fd) =>
        step(centroidsPath, () => {
          const centroids = new Float32Array(clusters.k * clusters.dim)
          const input = openSync(clusters.centroidsPath, "r")
          try {
            if (fstatSync(input).size !== centroids.byteLength) throw new Error(`${clusters.centroidsPath} does not hold ${clusters.k} x ${clusters.dim} float32`)
            readExactly(input, new Uint8Array(centroids.buffer), 0, clusters.centroidsPath)
          } finally {
            closeSync(input)
          }
          const writer = new NumericParquetWriter(fd, [{ name: "cluster", type: "INT32" }, { name: "centroid", type: "FLOAT_LIST", length: clusters.dim }])
          writer.writeRowGroup(clusters.k, [Int32Array.from({ length: clusters.k }, (_, i) => i), centroids])
          writer.finish()
        })
      )
      yield* done({ path: centroidsName, format: "parquet", stage, content: "centroids", rows: clusters.k, columns: ["cluster", "centroid"] }, centroidBytes)
    }
    if (has("csv")) {
      const name = `${stage}.csv`
      const path = join(staging, name)
      const bytes = yield* withNewFile(path, (fd) =>
        step(path, () => {
          let out = `${columns.join(",")}\n`
          for (const [id, c, d] of select()) {
            out += `${id},${c},${d}\n`
            if (out.length > 1 << 20) {
              writeAll(fd, Buffer.from(out))
              out = ""
            }
          }
          writeAll(fd, Buffer.from(out))
        })
      )
      yield* done({ path: name, format: "csv", stage, content: "clusters", rows: clusters.rows, columns }, bytes)
      yield* onRows(clusters.rows)
    }
  }).pipe(Effect.scoped)

/** The scored matches as a numeric Parquet table (MATCH_COLUMNS). */
const writeMatchParquet = (fd: number, matches: ReadonlyArray<ScoredMatch>): void => {
  const n = matches.length
  const origin = new BigInt64Array(n)
  const rank = new Int32Array(n)
  const match = new BigInt64Array(n)
  const doubles = Array.from({ length: MATCH_COLUMNS.length - 3 }, () => new Float64Array(n))
  matches.forEach((m, i) => {
    const row = matchRow(m)
    origin[i] = BigInt(m.origin)
    rank[i] = m.rank
    match[i] = BigInt(m.match)
    for (let c = 3; c < row.length; c++) (doubles[c - 3] as Float64Array)[i] = row[c] as number
  })
  const writer = new NumericParquetWriter(
    fd,
    MATCH_COLUMNS.map((name, c) => ({ name, type: c === 0 || c === 2 ? ("INT64" as const) : c === 1 ? ("INT32" as const) : ("DOUBLE" as const) }))
  )
  writer.writeRowGroup(n, [origin, rank, match, ...doubles])
  writer.finish()
}

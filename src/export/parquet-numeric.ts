/**
 * A Parquet writer for numeric tables: flat INT32 / INT64 / FLOAT / DOUBLE columns and fixed-length
 * float32 list columns (an embedding per row), all required (no nulls). Values are written PLAIN,
 * uncompressed: the page bytes ARE the typed array's bytes, so a million 128-d embeddings are
 * written at the speed of a file copy, and every float survives bit for bit. (Random floats do not
 * compress; snappy would only cost time.)
 *
 * hyparquet-writer writes the same files through a general encoder that visits every value in
 * JavaScript (~45,000 embedding rows/s measured here, against millions here); it is used for the
 * thrift page headers and the footer, which are the same for both.
 *
 * A list column is the standard three-level LIST (`name` / `list` / `element`), so DuckDB, pandas
 * and Spark read it as a list of floats (`embedding::FLOAT[128]` in DuckDB makes it an array).
 * Its levels are run-length encoded: every value defined (one run per page), each row's
 * repetition levels one run of a 0 and one of `length - 1` ones.
 */
import type { ColumnChunk, FileMetaData, RowGroup, SchemaElement } from "hyparquet"
import { writePageHeader } from "hyparquet-writer/src/datapage.js"
import { writeMetadata } from "hyparquet-writer/src/metadata.js"
import { FdByteWriter } from "./fd-writer.js"

export type NumericType = "INT32" | "INT64" | "FLOAT" | "DOUBLE"

export type NumericColumn =
  | { readonly name: string; readonly type: NumericType }
  /** A list of `length` float32 values per row. */
  | { readonly name: string; readonly type: "FLOAT_LIST"; readonly length: number }

export type NumericValues = Int32Array | BigInt64Array | Float32Array | Float64Array

const BYTES: Readonly<Record<NumericType, number>> = { INT32: 4, INT64: 8, FLOAT: 4, DOUBLE: 8 }

const ARRAY_OF: Readonly<Record<NumericType, string>> = {
  INT32: "Int32Array",
  INT64: "BigInt64Array",
  FLOAT: "Float32Array",
  DOUBLE: "Float64Array"
}

/** Values per row of a column. */
const width = (column: NumericColumn): number => (column.type === "FLOAT_LIST" ? column.length : 1)

/** Bytes of a page's values before a new page is started (rows never span pages). */
const PAGE_BYTES = 1 << 20

const schemaOf = (columns: ReadonlyArray<NumericColumn>): Array<SchemaElement> => {
  const schema: Array<SchemaElement> = [{ name: "schema", num_children: columns.length }]
  for (const column of columns) {
    if (column.type === "FLOAT_LIST") {
      schema.push({ name: column.name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 })
      schema.push({ name: "list", repetition_type: "REPEATED", num_children: 1 })
      schema.push({ name: "element", type: "FLOAT", repetition_type: "REQUIRED" })
    } else {
      schema.push({ name: column.name, type: column.type, repetition_type: "REQUIRED" })
    }
  }
  return schema
}

/** Appends the unsigned LEB128 varint of `value` to `out` at `at`; returns the next position. */
const putVarint = (out: Uint8Array, at: number, value: number): number => {
  let v = value
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  out[at++] = v
  return at
}

/** RLE runs (bit width 1) of the repetition levels of `rows` lists of `length` values, with a 4-byte length prefix. */
const repetitionLevels = (rows: number, length: number): Uint8Array => {
  const row = new Uint8Array(16)
  let n = putVarint(row, 0, 1 << 1)
  row[n++] = 0
  if (length > 1) {
    n = putVarint(row, n, (length - 1) * 2)
    row[n++] = 1
  }
  const out = new Uint8Array(4 + rows * n)
  new DataView(out.buffer).setUint32(0, rows * n, true)
  for (let r = 0; r < rows; r++) out.set(row.subarray(0, n), 4 + r * n)
  return out
}

/** One RLE run (bit width 1) of `count` ones: every value of the page is defined. */
const definitionLevels = (count: number): Uint8Array => {
  const run = new Uint8Array(16)
  let n = putVarint(run, 4, count * 2)
  run[n++] = 1
  new DataView(run.buffer).setUint32(0, n - 4, true)
  return run.subarray(0, n)
}

export class NumericParquetWriter {
  private readonly writer: FdByteWriter
  private readonly rowGroups: Array<RowGroup> = []
  private rows = 0

  constructor(
    fd: number,
    private readonly columns: ReadonlyArray<NumericColumn>,
    private readonly keyValues: ReadonlyArray<{ readonly key: string; readonly value: string }> = []
  ) {
    if (columns.length === 0) throw new Error("a Parquet table needs at least one column")
    for (const column of columns) {
      if (column.type === "FLOAT_LIST" && !(Number.isInteger(column.length) && column.length > 0)) {
        throw new Error(`list column ${column.name}: length ${column.length} is not a positive integer`)
      }
    }
    this.writer = new FdByteWriter(fd)
    this.writer.appendUint32(0x31524150) // "PAR1"
  }

  /** Writes one row group of `rows` rows: `values[i]` holds column i's values, rows x its width. */
  writeRowGroup(rows: number, values: ReadonlyArray<NumericValues>): void {
    if (values.length !== this.columns.length) throw new Error(`${values.length} value arrays for ${this.columns.length} columns`)
    if (rows === 0) return
    const start = this.writer.offset
    const chunks: Array<ColumnChunk> = []
    let uncompressed = 0n
    this.columns.forEach((column, i) => {
      const data = values[i] as NumericValues
      const physical = column.type === "FLOAT_LIST" ? "FLOAT" : column.type
      if (data.constructor.name !== ARRAY_OF[physical]) {
        throw new Error(`column ${column.name}: expected a ${ARRAY_OF[physical]}, got a ${data.constructor.name}`)
      }
      const perRow = width(column)
      if (data.length !== rows * perRow) throw new Error(`column ${column.name}: ${data.length} values for ${rows} rows of ${perRow}`)
      const chunk = this.writeColumnChunk(column, physical, data, rows, perRow)
      uncompressed += chunk.meta_data?.total_uncompressed_size ?? 0n
      chunks.push(chunk)
    })
    this.rowGroups.push({
      columns: chunks,
      num_rows: BigInt(rows),
      total_byte_size: uncompressed,
      total_compressed_size: BigInt(this.writer.offset - start)
    })
    this.rows += rows
    this.writer.flush()
  }

  private writeColumnChunk(column: NumericColumn, physical: NumericType, data: NumericValues, rows: number, perRow: number): ColumnChunk {
    const start = this.writer.offset
    const rowBytes = perRow * BYTES[physical]
    const rowsPerPage = Math.max(1, Math.floor(PAGE_BYTES / rowBytes))
    const isList = column.type === "FLOAT_LIST"
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    for (let first = 0; first < rows; first += rowsPerPage) {
      const pageRows = Math.min(rowsPerPage, rows - first)
      const payload = bytes.subarray(first * rowBytes, (first + pageRows) * rowBytes)
      const levels = isList ? [repetitionLevels(pageRows, perRow), definitionLevels(pageRows * perRow)] : []
      const size = payload.byteLength + levels.reduce((s, l) => s + l.byteLength, 0)
      writePageHeader(this.writer, {
        type: "DATA_PAGE",
        uncompressed_page_size: size,
        compressed_page_size: size,
        data_page_header: {
          num_values: pageRows * perRow,
          encoding: "PLAIN",
          definition_level_encoding: "RLE",
          repetition_level_encoding: "RLE"
        }
      })
      for (const level of levels) this.writer.appendBytes(level)
      this.writer.appendLarge(payload)
    }
    const total = BigInt(this.writer.offset - start)
    return {
      file_offset: BigInt(start),
      meta_data: {
        type: physical,
        encodings: isList ? ["PLAIN", "RLE"] : ["PLAIN"],
        path_in_schema: isList ? [column.name, "list", "element"] : [column.name],
        codec: "UNCOMPRESSED",
        num_values: BigInt(rows * perRow),
        total_uncompressed_size: total,
        total_compressed_size: total,
        data_page_offset: BigInt(start)
      }
    }
  }

  /** Writes the footer; the file is complete once this returns. */
  finish(): void {
    const metadata: FileMetaData = {
      version: 1,
      created_by: "effect-pipelines",
      schema: schemaOf(this.columns),
      num_rows: BigInt(this.rows),
      row_groups: this.rowGroups,
      metadata_length: 0,
      ...(this.keyValues.length > 0 ? { key_value_metadata: this.keyValues.map((kv) => ({ ...kv })) } : {})
    }
    const start = this.writer.offset
    writeMetadata(this.writer, metadata)
    this.writer.appendUint32(this.writer.offset - start)
    this.writer.appendUint32(0x31524150)
    this.writer.finish()
  }
}

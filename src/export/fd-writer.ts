/**
 * hyparquet-writer's `ByteWriter`, flushed to an open file descriptor once it holds 1 MiB, so a
 * Parquet file of any size is written with a small, constant buffer (the package's own
 * `fileWriter` reopens the file by name for every flush). `appendLarge` writes big payloads (a
 * page of raw float32 values) straight to the file instead of copying them through the buffer.
 */
import { writeSync } from "node:fs"
import { ByteWriter } from "hyparquet-writer"

const FLUSH_AT = 1 << 20

/** Writes all of `bytes` at the file's current position. */
export const writeAll = (fd: number, bytes: Uint8Array): void => {
  let done = 0
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done)
}

export class FdByteWriter extends ByteWriter {
  constructor(private readonly fd: number) {
    super(FLUSH_AT + (FLUSH_AT >> 2))
  }

  override ensure(size: number): void {
    if (this.index > FLUSH_AT) this.flush()
    super.ensure(size)
  }

  /** Writes what the buffer holds to the file. */
  flush(): void {
    writeAll(this.fd, new Uint8Array(this.buffer, 0, this.index))
    this.index = 0
  }

  /** Appends `bytes` without copying them into the buffer. */
  appendLarge(bytes: Uint8Array): void {
    this.flush()
    writeAll(this.fd, bytes)
    this.offset += bytes.byteLength
  }

  override finish(): void {
    this.flush()
  }
}

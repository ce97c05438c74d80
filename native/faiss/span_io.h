// SpanIOReader: a faiss::IOReader over memory owned by a JS Uint8Array. FAISS's VectorIOReader
// would first copy the whole serialized index into a std::vector; reading in place avoids that.
#pragma once

#include <faiss/impl/io.h>

#include <faiss/impl/FaissException.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

namespace fnode {

struct SpanIOReader : faiss::IOReader {
  SpanIOReader(const uint8_t* data, size_t size) : data_(data), size_(size) { name = "buffer"; }

  // fread semantics: copies up to nitems whole items and returns how many were read.
  size_t operator()(void* ptr, size_t size, size_t nitems) override {
    if (size == 0 || nitems == 0) return 0;
    const size_t available = (size_ - pos_) / size;
    const size_t items = std::min(nitems, available);
    std::memcpy(ptr, data_ + pos_, items * size);
    pos_ += items * size;
    return items;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// BoundedReader: refuses a vector length that the rest of the input cannot hold, before FAISS
// allocates it. FAISS's READVECTOR reads a size_t, checks only that it is below 2^40, and resizes
// (zero-fills) the vector before reading its items, so one flipped size field in a 30 KB file makes
// it allocate and fill gigabytes (tens of seconds, or the OOM killer) before its read fails. Every
// READVECTOR length is a single 8-byte read, but so is an idx_t scalar (ntotal, nlist, ...), so only
// a value that cannot be a valid count of anything in the input is refused: above 2^20 (the largest
// scalar FAISS writes that may exceed the input is the header's dummy 2^20), below 2^40 (above it
// FAISS's own check fails; a double read as 8 bytes is there), and more than the bytes left, which
// every vector of at least one byte per item, and every count of such items, must fit in.
struct BoundedReader : faiss::IOReader {
  BoundedReader(faiss::IOReader& inner, size_t total) : inner_(inner), total_(total) { name = inner.name; }

  size_t operator()(void* ptr, size_t size, size_t nitems) override {
    const size_t items = inner_(ptr, size, nitems);
    pos_ += items * size;
    if (size == 8 && nitems == 1 && items == 1) {
      uint64_t value;
      std::memcpy(&value, ptr, 8);
      const uint64_t left = pos_ <= total_ ? total_ - pos_ : 0;
      if (value > (uint64_t{1} << 20) && value < (uint64_t{1} << 40) && value > left) {
        throw faiss::FaissException("not a FAISS index (a size of " + std::to_string(value) + " at byte " +
                                    std::to_string(pos_ - 8) + " is more than the " + std::to_string(left) +
                                    " bytes left)");
      }
    }
    return items;
  }

 private:
  faiss::IOReader& inner_;
  size_t total_;
  size_t pos_ = 0;
};

// IdMap2AsIdMapReader: reads a top-level IndexIDMap2 (fourcc "IxM2") as a plain IndexIDMap ("IxMp").
// FAISS's reader rebuilds an IDMap2's reverse map from the header's ntotal without checking it
// against the id_map it has just read, so a flipped ntotal reads past that vector: a segfault inside
// read_index, before any check of ours can run. Read as IxMp, its sizes are checked (CheckLoaded)
// and the IDMap2 with its reverse map is built afterwards (LoadOp). An IxM2 anywhere but at byte 0
// is refused: the factory grammar puts IDMap first, so a nested IDMap2 is never written by this
// binding. It is recognized as any single 4-byte read with the IxM2 value; a legitimate scalar with
// that value (843,872,329) is implausible, and would be refused, not misread.
struct IdMap2AsIdMapReader : faiss::IOReader {
  static constexpr uint32_t kIdMap2 = 0x324d7849;  // "IxM2" little-endian, as FAISS's fourcc()
  static constexpr uint32_t kIdMap = 0x704d7849;   // "IxMp"

  explicit IdMap2AsIdMapReader(faiss::IOReader& inner) : inner_(inner) { name = inner.name; }

  size_t operator()(void* ptr, size_t size, size_t nitems) override {
    const size_t items = inner_(ptr, size, nitems);
    if (size == 4 && nitems == 1 && items == 1) {
      uint32_t value;
      std::memcpy(&value, ptr, 4);
      if (value == kIdMap2) {
        if (pos_ != 0) {
          throw faiss::FaissException("index type IxM2 (IDMap2) inside another index is not supported by this binding");
        }
        std::memcpy(ptr, &kIdMap, 4);
        topIdMap2_ = true;
      }
    }
    pos_ += items * size;
    return items;
  }

  /** Whether the file's top-level index was an IDMap2 (now read as an IDMap). */
  bool TopIdMap2() const { return topIdMap2_; }

 private:
  faiss::IOReader& inner_;
  size_t pos_ = 0;
  bool topIdMap2_ = false;
};

}  // namespace fnode

// SpanIOReader: a faiss::IOReader over memory owned by a JS Uint8Array. FAISS's VectorIOReader
// would first copy the whole serialized index into a std::vector; reading in place avoids that.
#pragma once

#include <faiss/impl/io.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

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

}  // namespace fnode

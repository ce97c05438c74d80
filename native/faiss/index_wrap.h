// Index: a JS object owning one faiss::Index (see index_wrap.cc for the methods).
//
// Concurrency rule: searches, write and toBuffer only read the index and may overlap; train,
// setCentroids, add, addWithIds, reset and setParameter change it and need it to themselves. A call that conflicts
// with one in flight fails with ERR_FAISS_BUSY instead of racing. dispose() never fails: with ops
// in flight it marks the index disposed at once and frees it when the last op settles.
#pragma once

#include <faiss/Index.h>
#include <napi.h>

#include <memory>
#include <string>

namespace fnode {

// faiss::index_factory with our checks first; every failure becomes an OpError whose message says
// what is wrong first (FAISS's location after it, on a second line).
std::unique_ptr<faiss::Index> BuildFromFactory(int d, const std::string& factory, faiss::MetricType metric);

// checkFactory(d, factory, metric = "l2"): builds the index and frees it at once, synchronously
// (no training, no data); null when FAISS accepts the string, else the whole message.
Napi::Value CheckFactory(const Napi::CallbackInfo& info);

class IndexWrap : public Napi::ObjectWrap<IndexWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // Wraps an index produced natively (read, fromBuffer) in a new JS Index object.
  static Napi::Object Adopt(Napi::Env env, std::unique_ptr<faiss::Index> index);

  explicit IndexWrap(const Napi::CallbackInfo& info);

  enum class Access { Shared, Exclusive };
  // Takes a shared or exclusive hold for an op named `op`; throws OpError (busy / disposed).
  faiss::Index& Acquire(Access access, const char* op);
  void Release(Access access);
  // Throws OpError(kDisposed) after dispose().
  faiss::Index& Live(const char* op);
  int Dim() const { return dim_; }

 private:
  Napi::Value Train(const Napi::CallbackInfo& info);
  Napi::Value SetCentroids(const Napi::CallbackInfo& info);
  Napi::Value Add(const Napi::CallbackInfo& info);
  Napi::Value AddWithIds(const Napi::CallbackInfo& info);
  Napi::Value Search(const Napi::CallbackInfo& info);
  Napi::Value RangeSearch(const Napi::CallbackInfo& info);
  Napi::Value SetParameter(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value ToBuffer(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value GetNtotal(const Napi::CallbackInfo& info);
  Napi::Value GetDim(const Napi::CallbackInfo& info);
  Napi::Value GetIsTrained(const Napi::CallbackInfo& info);
  Napi::Value GetMetric(const Napi::CallbackInfo& info);
  Napi::Value GetDisposed(const Napi::CallbackInfo& info);
  Napi::Value GetOnGpu(const Napi::CallbackInfo& info);

  std::unique_ptr<faiss::Index> index_;
  int dim_ = 0;
  int readers_ = 0;
  bool writer_ = false;
  bool disposed_ = false;
  const char* runningOp_ = "";
};

// readIndex(path, gpu?) and indexFromBuffer(bytes, gpu?): promises of a new Index.
Napi::Value ReadIndex(const Napi::CallbackInfo& info);
Napi::Value IndexFromBuffer(const Napi::CallbackInfo& info);

}  // namespace fnode

// The asynchronous Index methods. Each op takes its hold on the index (shared or exclusive, see
// index_wrap.h) on the JS thread, takes its inputs (copied, see TypedInput in worker.h), runs FAISS on a libuv thread and releases the
// hold on the JS thread before its promise settles.
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexPQ.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/invlists/InvertedLists.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexLSH.h>
#include <faiss/IndexNSG.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <sys/stat.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include "gpu.h"
#include "index_wrap.h"
#include "span_io.h"
#include "worker.h"

namespace fnode {

namespace {

using Access = IndexWrap::Access;

// Rows in `input`, checking that its length is a multiple of the index dimension.
int64_t Rows(const FloatInput& input, int d, const char* op) {
  if (input.length % static_cast<size_t>(d) != 0) {
    throw OpError(kDimension, std::string(op) + ": x has " + std::to_string(input.length) +
                                  " floats, not a multiple of the index dimension " + std::to_string(d));
  }
  return static_cast<int64_t>(input.length / d);
}

// The most result elements (n * k) a search may return: its labels take 8 bytes each, its distances
// 4, and V8 aborts the process (it does not throw) when it cannot allocate a typed array.
constexpr int64_t kMaxResultElements = int64_t{1} << 27;  // 1 GiB of labels + 512 MiB of distances

// Base of every op on an existing index: holds the index and keeps its JS object alive.
class IndexOp : public PromiseWorker {
 public:
  IndexOp(Napi::Env env, const char* name, IndexWrap* wrap, Access access)
      : PromiseWorker(env, name), wrap_(wrap), access_(access), name_(name) {}

 protected:
  // Call last in the subclass constructor, after every check that may throw.
  void Hold() {
    index_ = &wrap_->Acquire(access_, name_);
    self_ = Napi::Persistent(wrap_->Value());
    held_ = true;
  }
  void Finish() override {
    if (held_) wrap_->Release(access_);
    held_ = false;
  }
  void RequireTrained() const {
    if (!index_->is_trained) {
      throw OpError(kNotTrained, std::string(name_) + ": the index must be trained first (call train)");
    }
  }
  // CPU copy for serialization when the index lives on a GPU.
  const faiss::Index& CpuView(std::unique_ptr<faiss::Index>& holder) const {
    if (!gpu::IsGpuIndex(*index_)) return *index_;
    holder = gpu::ToCpu(*index_);
    return *holder;
  }

  faiss::Index* index_ = nullptr;
  IndexWrap* wrap_;

 private:
  Access access_;
  const char* name_;
  Napi::ObjectReference self_;
  bool held_ = false;
};

// The IVF index behind `index`, or an OpError naming `op` (GPU IVF indexes are not supported here).
faiss::IndexIVF& RequireIvf(faiss::Index* index, const char* op) {
  auto* ivf = dynamic_cast<faiss::IndexIVF*>(index);
  if (ivf == nullptr) throw OpError(kArgument, std::string(op) + ": needs a CPU IVF index (factory IVF<n>,...)");
  return *ivf;
}

// train(x), setCentroids(c), add(x) and addWithIds(x, ids, lists?): exclusive, resolve to undefined.
//
// setCentroids makes `c` (nlist x d) the coarse quantizer of an IVF index and marks it trained, as
// train would after a k-means; IVF<n>,Flat needs nothing else. `lists` (Int32Array, one list number
// per vector) adds vectors to the given lists instead of assigning them with the quantizer: the
// assignment a k-means over the same centroids already computed.
class MutateOp : public IndexOp {
 public:
  enum class Kind { Train, SetCentroids, Add, AddWithIds };
  MutateOp(Napi::Env env, IndexWrap* wrap, Kind kind, const Napi::CallbackInfo& info)
      : IndexOp(env, Name(kind), wrap, Access::Exclusive), kind_(kind) {
    wrap->Live(Name(kind));
    x_ = PinFloat32(info[0], kind == Kind::SetCentroids ? "centroids" : "x");
    n_ = Rows(x_, wrap->Dim(), Name(kind));
    if (kind == Kind::AddWithIds) {
      ids_ = TakeTyped<int64_t>(info[1], napi_bigint64_array, "BigInt64Array", "addWithIds: ids");
      if (static_cast<int64_t>(ids_.length) != n_) {
        throw OpError(kDimension, "addWithIds: " + std::to_string(ids_.length) + " ids for " + std::to_string(n_) +
                                      " vectors");
      }
      idData_ = reinterpret_cast<const faiss::Index::idx_t*>(ids_.data);
      if (info.Length() > 2 && !info[2].IsUndefined()) {
        lists_ = TakeTyped<int32_t>(info[2], napi_int32_array, "Int32Array", "addWithIds: lists");
        if (static_cast<int64_t>(lists_.length) != n_) {
          throw OpError(kDimension, "addWithIds: " + std::to_string(lists_.length) + " list numbers for " +
                                        std::to_string(n_) + " vectors");
        }
        listData_ = lists_.data;
      }
    }
    Hold();
  }

 protected:
  void Run() override {
    CheckFinite(x_.data, x_.length, kind_ == Kind::SetCentroids ? "centroids" : "x");
    if (kind_ == Kind::Train) {
      index_->train(n_, x_.data);
      return;
    }
    if (kind_ == Kind::SetCentroids) {
      faiss::IndexIVF& ivf = RequireIvf(index_, "setCentroids");
      // Only IVF<n>,Flat is fully trained by its centroids: an IVF-PQ or IVF-SQ also needs its
      // codec trained, and adding to one whose codec was never trained dereferences empty tables.
      if (dynamic_cast<faiss::IndexIVFFlat*>(index_) == nullptr) {
        throw OpError(kArgument, "setCentroids: needs an IVF<n>,Flat index (other IVF codecs need train)");
      }
      if (n_ != static_cast<int64_t>(ivf.nlist)) {
        throw OpError(kDimension, "setCentroids: " + std::to_string(n_) + " centroids for an index of " +
                                      std::to_string(ivf.nlist) + " lists");
      }
      if (ivf.ntotal > 0) throw OpError(kArgument, "setCentroids: the index already holds vectors (reset it first)");
      ivf.quantizer->reset();
      ivf.quantizer->add(n_, x_.data);
      ivf.is_trained = true;
      return;
    }
    RequireTrained();
    if (kind_ == Kind::Add) {
      index_->add(n_, x_.data);
    } else if (listData_ == nullptr) {
      index_->add_with_ids(n_, x_.data, idData_);
    } else {
      faiss::IndexIVF& ivf = RequireIvf(index_, "addWithIds with lists");
      std::vector<faiss::Index::idx_t> lists(static_cast<size_t>(n_));
      for (int64_t i = 0; i < n_; i++) {
        const int32_t list = listData_[i];
        if (list < 0 || static_cast<size_t>(list) >= ivf.nlist) {
          throw OpError(kArgument, "addWithIds: list number " + std::to_string(list) + " of vector " + std::to_string(i) +
                                       " is outside 0.." + std::to_string(ivf.nlist - 1));
        }
        lists[static_cast<size_t>(i)] = list;
      }
      ivf.add_core(n_, x_.data, idData_, lists.data());
    }
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

 private:
  static const char* Name(Kind kind) {
    switch (kind) {
      case Kind::Train:
        return "train";
      case Kind::SetCentroids:
        return "setCentroids";
      case Kind::Add:
        return "add";
      default:
        return "addWithIds";
    }
  }
  Kind kind_;
  FloatInput x_;
  int64_t n_ = 0;
  TypedInput<int64_t> ids_;
  const faiss::Index::idx_t* idData_ = nullptr;
  TypedInput<int32_t> lists_;
  const int32_t* listData_ = nullptr;
};

// search(x, k) -> { distances: Float32Array(n*k), labels: BigInt64Array(n*k) }; shared.
class SearchOp : public IndexOp {
 public:
  SearchOp(Napi::Env env, IndexWrap* wrap, const Napi::CallbackInfo& info)
      : IndexOp(env, "search", wrap, Access::Shared) {
    wrap->Live("search");
    x_ = PinFloat32(info[0], "x");
    n_ = Rows(x_, wrap->Dim(), "search");
    k_ = IntArg(info[1], "search: k", 1, 1 << 16);
    if (n_ > kMaxResultElements / k_) {
      throw OpError(kArgument, "search: n * k = " + std::to_string(n_) + " * " + std::to_string(k_) +
                                   " result elements is more than the limit of " + std::to_string(kMaxResultElements) +
                                   " (search in batches)");
    }
    auto distances = Napi::Float32Array::New(env, static_cast<size_t>(n_ * k_));
    auto labels = Napi::BigInt64Array::New(env, static_cast<size_t>(n_ * k_));
    distOut_ = distances.Data();
    labelOut_ = reinterpret_cast<faiss::Index::idx_t*>(labels.Data());
    distances_ = Napi::Persistent(distances);
    labels_ = Napi::Persistent(labels);
    Hold();
  }

 protected:
  void Run() override {
    CheckFinite(x_.data, x_.length, "x");
    RequireTrained();
    if (n_ > 0) index_->search(n_, x_.data, k_, distOut_, labelOut_);
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object result = Napi::Object::New(env);
    result.Set("distances", distances_.Value());
    result.Set("labels", labels_.Value());
    return result;
  }

 private:
  FloatInput x_;
  int64_t n_ = 0, k_ = 0;
  Napi::Reference<Napi::Float32Array> distances_;
  Napi::Reference<Napi::BigInt64Array> labels_;
  float* distOut_ = nullptr;
  faiss::Index::idx_t* labelOut_ = nullptr;
};

// rangeSearch(x, radius) -> { lims: Float64Array(n+1), distances, labels }; shared. Results of
// query i are at [lims[i], lims[i+1]). For l2 the radius bounds the squared distance.
class RangeSearchOp : public IndexOp {
 public:
  RangeSearchOp(Napi::Env env, IndexWrap* wrap, const Napi::CallbackInfo& info)
      : IndexOp(env, "rangeSearch", wrap, Access::Shared) {
    wrap->Live("rangeSearch");
    x_ = PinFloat32(info[0], "x");
    n_ = Rows(x_, wrap->Dim(), "rangeSearch");
    if (!info[1].IsNumber()) throw OpError(kArgument, "rangeSearch: radius must be a number");
    radius_ = info[1].As<Napi::Number>().FloatValue();
    if (!std::isfinite(radius_)) throw OpError(kNotFinite, "rangeSearch: radius must be finite");
    Hold();
  }

 protected:
  void Run() override {
    CheckFinite(x_.data, x_.length, "x");
    RequireTrained();
    result_ = std::make_unique<faiss::RangeSearchResult>(n_);
    if (n_ > 0) index_->range_search(n_, x_.data, radius_, result_.get());
  }
  Napi::Value Result(Napi::Env env) override {
    const size_t total = result_->lims[n_];
    if (total > static_cast<size_t>(kMaxResultElements)) {
      throw OpError(kArgument, "rangeSearch: " + std::to_string(total) + " results are more than the limit of " +
                                   std::to_string(kMaxResultElements) + " (use a smaller radius or fewer queries)");
    }
    auto lims = Napi::Float64Array::New(env, static_cast<size_t>(n_ + 1));
    double* limsOut = lims.Data();
    for (int64_t i = 0; i <= n_; i++) limsOut[i] = static_cast<double>(result_->lims[i]);
    auto distances = Napi::Float32Array::New(env, total);
    auto labels = Napi::BigInt64Array::New(env, total);
    if (total > 0) {
      std::memcpy(distances.Data(), result_->distances, total * sizeof(float));
      std::memcpy(labels.Data(), result_->labels, total * sizeof(int64_t));
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("lims", lims);
    out.Set("distances", distances);
    out.Set("labels", labels);
    return out;
  }

 private:
  FloatInput x_;
  int64_t n_ = 0;
  float radius_ = 0;
  std::unique_ptr<faiss::RangeSearchResult> result_;
};

// write(path): shared.
class WriteOp : public IndexOp {
 public:
  WriteOp(Napi::Env env, IndexWrap* wrap, const Napi::CallbackInfo& info) : IndexOp(env, "write", wrap, Access::Shared) {
    wrap->Live("write");
    if (!info[0].IsString()) throw OpError(kArgument, "write: path must be a string");
    path_ = info[0].As<Napi::String>().Utf8Value();
    Hold();
  }

 protected:
  void Run() override {
    std::unique_ptr<faiss::Index> cpu;
    const faiss::Index& view = CpuView(cpu);
    try {
      faiss::write_index(&view, path_.c_str());
    } catch (const faiss::FaissException& e) {
      throw OpError(kIo, "write " + path_ + ": " + TidyFaissMessage(e.what()));
    }
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

 private:
  std::string path_;
};

// toBuffer() -> Buffer holding FAISS's serialization; the bytes are handed over, not copied.
class ToBufferOp : public IndexOp {
 public:
  ToBufferOp(Napi::Env env, IndexWrap* wrap) : IndexOp(env, "toBuffer", wrap, Access::Shared) { Hold(); }

 protected:
  void Run() override {
    std::unique_ptr<faiss::Index> cpu;
    const faiss::Index& view = CpuView(cpu);
    bytes_ = std::make_unique<std::vector<uint8_t>>();
    faiss::VectorIOWriter writer;
    faiss::write_index(&view, &writer);
    bytes_->swap(writer.data);
  }
  Napi::Value Result(Napi::Env env) override {
    std::vector<uint8_t>* bytes = bytes_.release();
    return Napi::Buffer<uint8_t>::New(
        env, bytes->data(), bytes->size(), [](Napi::Env, uint8_t*, std::vector<uint8_t>* owned) { delete owned; },
        bytes);
  }

 private:
  std::unique_ptr<std::vector<uint8_t>> bytes_;
};

// Checks a scalar quantizer against the dimension and code size of its index: a quantizer type
// outside FAISS's enum is an exception thrown inside its OpenMP search (std::terminate), and a code
// size or trained-range table shorter than the type needs is read past at every search.
void CheckScalarQuantizer(const faiss::ScalarQuantizer& sq, int d, size_t codeSize,
                          const std::function<void(const std::string&)>& fail) {
  using SQ = faiss::ScalarQuantizer;
  const auto dim = static_cast<size_t>(d);
  size_t code = 0, trained = 0;  // trained: floats the type reads (per-dimension or shared min/range)
  switch (static_cast<int>(sq.qtype)) {
    case SQ::QT_8bit: code = dim, trained = 2 * dim; break;
    case SQ::QT_4bit: code = (dim + 1) / 2, trained = 2 * dim; break;
    case SQ::QT_6bit: code = (dim * 6 + 7) / 8, trained = 2 * dim; break;
    case SQ::QT_8bit_uniform: code = dim, trained = 2; break;
    case SQ::QT_4bit_uniform: code = (dim + 1) / 2, trained = 2; break;
    case SQ::QT_fp16: code = 2 * dim; break;
    case SQ::QT_8bit_direct: code = dim; break;
    default: fail("unknown scalar quantizer type " + std::to_string(static_cast<int>(sq.qtype)));
  }
  if (sq.d != dim || sq.code_size != code || codeSize != code) fail("scalar quantizer sizes disagree");
  if (sq.trained.size() != trained && !sq.trained.empty()) fail("scalar quantizer trained ranges");
}

// Structural checks on an index read from a file or buffer. FAISS's reader checks little of what
// it reads, and a search runs inside an OpenMP region, where an out-of-range neighbour id is a
// segfault and a FaissException or bad_alloc is std::terminate: a flipped byte in HNSW levels or an
// IVF's metric would end the process at the first search. So the sizes and ids every search
// follows are checked once here, recursively through the wrappers we build; a failure is kIo.
void CheckLoaded(const faiss::Index* index, const std::string& what, int depth = 0) {
  auto fail = [&](const std::string& why) { throw OpError(kIo, what + ": not a valid FAISS index (" + why + ")"); };
  if (index == nullptr) fail("no index");
  if (depth > 8) fail("wrappers nested too deep");
  if (index->d <= 0 || index->d > (1 << 20)) fail("dimension " + std::to_string(index->d));
  if (index->ntotal < 0) fail("negative ntotal");
  if (index->metric_type != faiss::METRIC_L2 && index->metric_type != faiss::METRIC_INNER_PRODUCT) fail("unsupported metric");
  const auto n = static_cast<size_t>(index->ntotal);
  if (auto* idmap = dynamic_cast<const faiss::IndexIDMap*>(index)) {
    if (idmap->id_map.size() != n || idmap->index == nullptr || idmap->index->ntotal != index->ntotal ||
        idmap->index->d != index->d) {
      fail("IDMap sizes disagree");
    }
    CheckLoaded(idmap->index, what, depth + 1);
    return;
  }
  if (auto* pre = dynamic_cast<const faiss::IndexPreTransform*>(index)) {
    if (pre->index == nullptr || pre->index->ntotal != index->ntotal) fail("transform sizes disagree");
    int d = index->d;
    for (const auto* t : pre->chain) {
      if (t == nullptr || t->d_in != d || t->d_out <= 0) fail("transform dimensions disagree");
      d = t->d_out;
    }
    if (pre->index->d != d) fail("transform output dimension disagrees with its index");
    CheckLoaded(pre->index, what, depth + 1);
    return;
  }
  if (auto* flat = dynamic_cast<const faiss::IndexFlatCodes*>(index)) {
    if (flat->code_size == 0 || flat->codes.size() != n * flat->code_size) fail("codes size disagrees with ntotal");
    if (auto* pq = dynamic_cast<const faiss::IndexPQ*>(index)) {
      if (pq->pq.d != static_cast<size_t>(index->d) || pq->pq.nbits > 16 || pq->pq.M == 0 ||
          pq->pq.centroids.size() != pq->pq.M * pq->pq.ksub * pq->pq.dsub || pq->pq.code_size != pq->code_size) {
        fail("product quantizer sizes disagree");
      }
    }
    if (auto* sq = dynamic_cast<const faiss::IndexScalarQuantizer*>(index)) {
      CheckScalarQuantizer(sq->sq, index->d, sq->code_size, fail);
      if ((index->is_trained || n > 0) && sq->sq.trained.empty() && sq->sq.qtype != faiss::ScalarQuantizer::QT_fp16 &&
          sq->sq.qtype != faiss::ScalarQuantizer::QT_8bit_direct) {
        fail("scalar quantizer trained ranges");
      }
    }
    if (auto* lsh = dynamic_cast<const faiss::IndexLSH*>(index)) {
      // Search turns a query into nbits bits of code_size bytes, subtracting nbits thresholds
      // (trained) from nbits floats: the rotation's output, or the query's first nbits.
      const faiss::RandomRotationMatrix& r = lsh->rrot;
      if (lsh->nbits <= 0 || lsh->nbits > (1 << 20) || lsh->code_size != static_cast<size_t>(lsh->nbits + 7) / 8) {
        fail("LSH bits disagree with its code size");
      }
      if (lsh->train_thresholds && lsh->thresholds.size() != static_cast<size_t>(lsh->nbits)) fail("LSH thresholds");
      if (lsh->rotate_data ? (!r.is_trained || r.d_in != index->d || r.d_out != lsh->nbits ||
                              r.A.size() != static_cast<size_t>(r.d_in) * static_cast<size_t>(r.d_out) ||
                              (r.have_bias && r.b.size() != static_cast<size_t>(r.d_out)))
                           : lsh->nbits > index->d) {
        fail("LSH rotation disagrees with its dimensions");
      }
    }
    return;
  }
  if (auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(index)) {
    const faiss::HNSW& g = hnsw->hnsw;
    if (hnsw->storage == nullptr || hnsw->storage->ntotal != index->ntotal || hnsw->storage->d != index->d) {
      fail("HNSW storage disagrees");
    }
    CheckLoaded(hnsw->storage, what, depth + 1);
    const int levelsKnown = static_cast<int>(g.cum_nneighbor_per_level.size()) - 1;
    if (g.levels.size() != n || g.offsets.size() != n + 1 || g.offsets[0] != 0 || g.offsets[n] != g.neighbors.size()) {
      fail("HNSW graph sizes disagree with ntotal");
    }
    if (g.max_level < -1 || g.max_level >= levelsKnown || (n > 0 && (g.entry_point < 0 || static_cast<size_t>(g.entry_point) >= n))) {
      fail("HNSW entry point or level out of range");
    }
    for (int l = 0; l < levelsKnown; l++) {
      if (g.cum_nneighbor_per_level[l] < 0 || g.cum_nneighbor_per_level[l + 1] < g.cum_nneighbor_per_level[l]) fail("HNSW level sizes");
    }
    for (size_t i = 0; i < n; i++) {
      const int level = g.levels[i];
      if (level < 1 || level > g.max_level + 1 ||
          g.offsets[i + 1] - g.offsets[i] != static_cast<size_t>(g.cum_nneighbor_per_level[level])) {
        fail("HNSW level of vector " + std::to_string(i));
      }
    }
    for (const auto id : g.neighbors) {
      if (id < -1 || id >= index->ntotal) fail("HNSW neighbour id out of range");
    }
    return;
  }
  if (auto* ivf = dynamic_cast<const faiss::IndexIVF*>(index)) {
    if (ivf->quantizer == nullptr || ivf->quantizer->d != index->d || ivf->nlist == 0 ||
        (ivf->is_trained && ivf->quantizer->ntotal != static_cast<faiss::Index::idx_t>(ivf->nlist))) {
      fail("IVF quantizer disagrees with nlist");
    }
    CheckLoaded(ivf->quantizer, what, depth + 1);
    if (ivf->quantizer->metric_type != index->metric_type && dynamic_cast<const faiss::IndexFlat*>(ivf->quantizer) == nullptr) {
      fail("IVF quantizer metric");
    }
    const faiss::InvertedLists* lists = ivf->invlists;
    if (lists == nullptr || lists->nlist != ivf->nlist || lists->code_size != ivf->code_size) fail("IVF lists disagree");
    size_t total = 0;
    for (size_t l = 0; l < ivf->nlist; l++) total += lists->list_size(l);
    if (total != n) fail("IVF list sizes disagree with ntotal");
    if (ivf->nprobe == 0 || ivf->nprobe > ivf->nlist) fail("nprobe out of range");
    if (auto* pq = dynamic_cast<const faiss::IndexIVFPQ*>(index)) {
      if (pq->pq.d != static_cast<size_t>(index->d) || pq->pq.nbits > 16 || pq->pq.M == 0 ||
          pq->pq.centroids.size() != pq->pq.M * pq->pq.ksub * pq->pq.dsub) {
        fail("IVF product quantizer sizes disagree");
      }
    }
    if (auto* sq = dynamic_cast<const faiss::IndexIVFScalarQuantizer*>(index)) {
      CheckScalarQuantizer(sq->sq, index->d, sq->code_size, fail);
      if ((index->is_trained || n > 0) && sq->sq.trained.empty() && sq->sq.qtype != faiss::ScalarQuantizer::QT_fp16 &&
          sq->sq.qtype != faiss::ScalarQuantizer::QT_8bit_direct) {
        fail("IVF scalar quantizer trained ranges");
      }
    }
    return;
  }
  // Any other type: FAISS's own reader checks what it reads of these.
}

// readIndex(path, gpu) / indexFromBuffer(bytes, gpu) -> a new Index.
class LoadOp : public PromiseWorker {
 public:
  LoadOp(Napi::Env env, const Napi::CallbackInfo& info, bool fromBuffer)
      : PromiseWorker(env, fromBuffer ? "faiss.indexFromBuffer" : "faiss.readIndex"), fromBuffer_(fromBuffer) {
    if (fromBuffer) {
      bytes_ = TakeTyped<uint8_t>(info[0], napi_uint8_array, "Uint8Array or Buffer", "indexFromBuffer: bytes");
      data_ = bytes_.data;
      size_ = bytes_.length;
    } else {
      if (!info[0].IsString()) throw OpError(kArgument, "readIndex: path must be a string");
      path_ = info[0].As<Napi::String>().Utf8Value();
    }
    gpu_ = info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
    if (gpu_ && !gpu::Available()) throw OpError(kGpu, gpu::UnavailableReason());
  }

 protected:
  void Run() override {
    const std::string what = fromBuffer_ ? std::string("indexFromBuffer") : "readIndex " + path_;
    try {
      if (fromBuffer_) {
        SpanIOReader span(data_, size_);
        BoundedReader bounded(span, size_);
        IdMap2AsIdMapReader reader(bounded);
        index_.reset(faiss::read_index(&reader));
        idMap2_ = reader.TopIdMap2();
      } else {
        faiss::FileIOReader file(path_.c_str());
        struct stat st;
        if (fstat(file.fileno(), &st) != 0 || !S_ISREG(st.st_mode)) {
          throw OpError(kIo, what + ": not a regular file");
        }
        BoundedReader bounded(file, static_cast<size_t>(st.st_size));
        IdMap2AsIdMapReader reader(bounded);
        index_.reset(faiss::read_index(&reader));
        idMap2_ = reader.TopIdMap2();
      }
    } catch (const faiss::FaissException& e) {
      throw OpError(kIo, what + ": " + TidyFaissMessage(e.what()));
    } catch (const std::bad_alloc&) {
      throw OpError(kIo, what + ": not a FAISS index (implausible sizes)");
    }
    // An NSG read from a file (our factory refuses to build one) can abort a search: see
    // RejectUnsafeFactory in index_wrap.cc.
    if (dynamic_cast<faiss::IndexNSG*>(index_.get()) != nullptr) {
      throw OpError(kArgument, what + ": NSG indexes are not supported");
    }
    CheckLoaded(index_.get(), what);
    if (idMap2_) index_ = ToIdMap2(std::move(index_), what);
    if (gpu_) index_ = gpu::ToGpu(*index_);
  }
  Napi::Value Result(Napi::Env env) override { return IndexWrap::Adopt(env, std::move(index_)); }

 private:
  bool fromBuffer_;
  bool gpu_ = false;
  std::string path_;
  TypedInput<uint8_t> bytes_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::unique_ptr<faiss::Index> index_;
  bool idMap2_ = false;

  // The IDMap2 a file held, from the IDMap it was read as (see IdMap2AsIdMapReader), once
  // CheckLoaded has matched its id_map to ntotal; its reverse map is built here, not by FAISS.
  static std::unique_ptr<faiss::Index> ToIdMap2(std::unique_ptr<faiss::Index> read, const std::string& what) {
    auto* idmap = dynamic_cast<faiss::IndexIDMap*>(read.get());
    if (idmap == nullptr) throw OpError(kIo, what + ": not a valid FAISS index (IDMap2 header without an IDMap)");
    // Not the IndexIDMap2(index) constructor: it requires an empty index.
    auto idmap2 = std::make_unique<faiss::IndexIDMap2>();
    idmap2->index = idmap->index;
    idmap2->d = idmap->d;
    idmap2->own_fields = idmap->own_fields;
    idmap->own_fields = false;
    idmap2->id_map.swap(idmap->id_map);
    idmap2->ntotal = idmap->ntotal;
    idmap2->is_trained = idmap->is_trained;
    idmap2->metric_type = idmap->metric_type;
    idmap2->metric_arg = idmap->metric_arg;
    idmap2->verbose = idmap->verbose;
    idmap2->construct_rev_map();
    return idmap2;
  }
};

}  // namespace

Napi::Value IndexWrap::Train(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary,
                    [&]() -> Napi::Value { return (new MutateOp(info.Env(), this, MutateOp::Kind::Train, info))->Start(); });
}

Napi::Value IndexWrap::SetCentroids(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary, [&]() -> Napi::Value {
    return (new MutateOp(info.Env(), this, MutateOp::Kind::SetCentroids, info))->Start();
  });
}

Napi::Value IndexWrap::Add(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary,
                    [&]() -> Napi::Value { return (new MutateOp(info.Env(), this, MutateOp::Kind::Add, info))->Start(); });
}

Napi::Value IndexWrap::AddWithIds(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary, [&]() -> Napi::Value {
    return (new MutateOp(info.Env(), this, MutateOp::Kind::AddWithIds, info))->Start();
  });
}

Napi::Value IndexWrap::Search(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary, [&]() -> Napi::Value { return (new SearchOp(info.Env(), this, info))->Start(); });
}

Napi::Value IndexWrap::RangeSearch(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary,
                    [&]() -> Napi::Value { return (new RangeSearchOp(info.Env(), this, info))->Start(); });
}

Napi::Value IndexWrap::Write(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kIo, [&]() -> Napi::Value { return (new WriteOp(info.Env(), this, info))->Start(); });
}

Napi::Value IndexWrap::ToBuffer(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kLibrary, [&]() -> Napi::Value { return (new ToBufferOp(info.Env(), this))->Start(); });
}

Napi::Value ReadIndex(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kIo, [&]() -> Napi::Value { return (new LoadOp(info.Env(), info, false))->Start(); });
}

Napi::Value IndexFromBuffer(const Napi::CallbackInfo& info) {
  return AsyncGuard(info.Env(), kIo, [&]() -> Napi::Value { return (new LoadOp(info.Env(), info, true))->Start(); });
}

}  // namespace fnode

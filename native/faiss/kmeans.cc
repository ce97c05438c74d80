// k-means through faiss::Clustering, off the event loop.
//
// Options: d, k, niter (25), nredo (1), seed (1234), spherical (false), maxPointsPerCentroid (256),
// minPointsPerCentroid (39), verbose (false), initCentroids (Float32Array k*d, optional: used as the
// starting centroids instead of FAISS's random sample), init ("random" | "kmeans++"), gpu (false).
// FAISS 1.7 only samples k random points to start, which on well-separated clusters often leaves
// two centroids in one cluster for good; "kmeans++" seeds each redo with k-means++ (D^2 sampling)
// over the training sample instead, then lets faiss::Clustering iterate.
// Result: centroids Float32Array(k*d); assignment Int32Array(n) and distance Float32Array(n),
// computed after training with a flat index over the final centroids (squared L2, or inner product
// when spherical); objective: the objective of every iteration of every redo, in order.
#include "kmeans.h"

#include <faiss/Clustering.h>
#include <faiss/utils/distances.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "gpu.h"
#include "worker.h"

namespace fnode {

namespace {

// k-means++ seeding over `n` rows of x: the first centroid uniformly, each next one with
// probability proportional to its squared distance to the nearest centroid chosen so far.
std::vector<float> KMeansPlusPlus(const float* x, int64_t n, int64_t d, int64_t k, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::vector<float> centroids(static_cast<size_t>(k * d));
  std::vector<float> best(static_cast<size_t>(n), std::numeric_limits<float>::max());
  int64_t pick = static_cast<int64_t>(gen() % static_cast<uint64_t>(n));
  for (int64_t c = 0; c < k; c++) {
    std::memcpy(&centroids[c * d], x + pick * d, sizeof(float) * d);
    const float* last = &centroids[c * d];
    double total = 0;
#pragma omp parallel for reduction(+ : total) schedule(static)
    for (int64_t i = 0; i < n; i++) {
      float dist = faiss::fvec_L2sqr(x + i * d, last, d);
      if (dist < best[i]) best[i] = dist;
      total += best[i];
    }
    if (c + 1 == k) break;
    double r = std::uniform_real_distribution<double>(0, total)(gen);
    pick = n - 1;
    for (int64_t i = 0; i < n; i++) {
      r -= best[i];
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  return centroids;
}

class KMeansWorker : public PromiseWorker {
 public:
  KMeansWorker(Napi::Env env, FloatInput x, const Napi::Object& options)
      : PromiseWorker(env, "faiss.kmeans"), x_(std::move(x)) {
    d_ = IntOption(options, "d", -1, 1, 1 << 20);
    if (d_ < 0) throw OpError(kArgument, "kmeans: option d (dimension) is required");
    k_ = IntOption(options, "k", -1, 1, std::numeric_limits<int>::max());
    if (k_ < 0) throw OpError(kArgument, "kmeans: option k is required");
    if (x_.length % d_ != 0) {
      throw OpError(kDimension, "kmeans: x has " + std::to_string(x_.length) + " floats, not a multiple of d = " +
                                    std::to_string(d_));
    }
    n_ = static_cast<int64_t>(x_.length / d_);
    if (k_ > n_) {
      throw OpError(kArgument, "kmeans: k = " + std::to_string(k_) + " is larger than the number of points n = " +
                                   std::to_string(n_));
    }
    cp_.niter = static_cast<int>(IntOption(options, "niter", 25, 1, 1 << 20));
    cp_.nredo = static_cast<int>(IntOption(options, "nredo", 1, 1, 1 << 10));
    cp_.seed = static_cast<int>(IntOption(options, "seed", 1234, std::numeric_limits<int>::min(),
                                          std::numeric_limits<int>::max()));
    cp_.spherical = BoolOption(options, "spherical", false);
    cp_.verbose = BoolOption(options, "verbose", false);
    cp_.max_points_per_centroid =
        static_cast<int>(IntOption(options, "maxPointsPerCentroid", 256, 1, std::numeric_limits<int>::max()));
    cp_.min_points_per_centroid = static_cast<int>(IntOption(options, "minPointsPerCentroid", 39, 0, 1 << 30));
    gpu_ = BoolOption(options, "gpu", false);
    Napi::Value initKind = options.Get("init");
    if (!initKind.IsUndefined()) {
      std::string kind = initKind.ToString().Utf8Value();
      if (kind != "random" && kind != "kmeans++") {
        throw OpError(kArgument, "kmeans: init must be \"random\" or \"kmeans++\", got \"" + kind + "\"");
      }
      plusPlus_ = kind == "kmeans++";
    }
    Napi::Value init = options.Get("initCentroids");
    if (!init.IsUndefined()) {
      init_ = PinFloat32(init, "kmeans: initCentroids");
      if (init_.length != static_cast<size_t>(k_ * d_)) {
        throw OpError(kDimension, "kmeans: initCentroids has " + std::to_string(init_.length) +
                                      " floats, expected k * d = " + std::to_string(k_ * d_));
      }
    }
    if (gpu_ && !gpu::Available()) throw OpError(kGpu, gpu::UnavailableReason());
    // Outputs are allocated here, on the JS thread, and filled in place by Run().
    auto centroids = Napi::Float32Array::New(env, static_cast<size_t>(k_ * d_));
    auto assignment = Napi::Int32Array::New(env, static_cast<size_t>(n_));
    auto distance = Napi::Float32Array::New(env, static_cast<size_t>(n_));
    centroidsOut_ = centroids.Data();
    assignmentOut_ = assignment.Data();
    distanceOut_ = distance.Data();
    centroids_ = Napi::Persistent(centroids);
    assignment_ = Napi::Persistent(assignment);
    distance_ = Napi::Persistent(distance);
  }

 protected:
  void Run() override {
    CheckFinite(x_.data, x_.length, "kmeans: x");
    if (init_.data != nullptr) CheckFinite(init_.data, init_.length, "kmeans: initCentroids");
    const int d = static_cast<int>(d_);
    const int k = static_cast<int>(k_);
    auto index = gpu::FlatIndex(d, cp_.spherical, gpu_);
    std::vector<float> centroids;
    if (plusPlus_ && init_.data == nullptr) {
      TrainPlusPlus(*index, centroids);
    } else {
      faiss::Clustering clustering(d, k, cp_);
      if (init_.data != nullptr) clustering.centroids.assign(init_.data, init_.data + init_.length);
      clustering.train(n_, x_.data, *index);
      centroids.swap(clustering.centroids);
      for (const auto& stats : clustering.iteration_stats) objective_.push_back(stats.obj);
    }
    std::memcpy(centroidsOut_, centroids.data(), sizeof(float) * k_ * d_);

    // Final assignment of every point (training may have used a subsample).
    index->reset();
    index->add(k_, centroids.data());
    constexpr int64_t kBlock = 1 << 15;
    std::vector<faiss::Index::idx_t> labels(static_cast<size_t>(std::min(n_, kBlock)));
    for (int64_t start = 0; start < n_; start += kBlock) {
      const int64_t rows = std::min(kBlock, n_ - start);
      index->search(rows, x_.data + start * d_, 1, distanceOut_ + start, labels.data());
      for (int64_t i = 0; i < rows; i++) assignmentOut_[start + i] = static_cast<int32_t>(labels[i]);
    }
  }

  // nredo runs, each seeded by k-means++ on the training sample; keeps the best final objective.
  void TrainPlusPlus(faiss::Index& index, std::vector<float>& best) {
    // The same subsample faiss::Clustering would train on, so both inits see the same points.
    const int64_t maxRows = static_cast<int64_t>(k_) * cp_.max_points_per_centroid;
    std::vector<float> sample;
    const float* train = x_.data;
    int64_t rows = n_;
    if (n_ > maxRows) {
      std::vector<int64_t> perm(static_cast<size_t>(n_));
      for (int64_t i = 0; i < n_; i++) perm[i] = i;
      std::mt19937_64 gen(static_cast<uint64_t>(cp_.seed));
      for (int64_t i = 0; i < maxRows; i++) std::swap(perm[i], perm[i + gen() % static_cast<uint64_t>(n_ - i)]);
      sample.resize(static_cast<size_t>(maxRows * d_));
      for (int64_t i = 0; i < maxRows; i++) std::memcpy(&sample[i * d_], x_.data + perm[i] * d_, sizeof(float) * d_);
      train = sample.data();
      rows = maxRows;
    }
    faiss::ClusteringParameters cp = cp_;
    cp.nredo = 1;
    double bestObj = 0;
    for (int redo = 0; redo < cp_.nredo; redo++) {
      faiss::Clustering clustering(static_cast<int>(d_), static_cast<int>(k_), cp);
      clustering.centroids = KMeansPlusPlus(train, rows, d_, k_, static_cast<uint64_t>(cp_.seed) + 7919u * redo);
      index.reset();
      clustering.train(rows, train, index);
      for (const auto& stats : clustering.iteration_stats) objective_.push_back(stats.obj);
      const double obj = clustering.iteration_stats.empty() ? 0 : clustering.iteration_stats.back().obj;
      const bool better = cp_.spherical ? obj > bestObj : obj < bestObj;
      if (redo == 0 || better) {
        bestObj = obj;
        best.swap(clustering.centroids);
      }
    }
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object result = Napi::Object::New(env);
    result.Set("centroids", centroids_.Value());
    result.Set("assignment", assignment_.Value());
    result.Set("distance", distance_.Value());
    Napi::Array objective = Napi::Array::New(env, objective_.size());
    for (size_t i = 0; i < objective_.size(); i++) objective.Set(i, Napi::Number::New(env, objective_[i]));
    result.Set("objective", objective);
    return result;
  }

 private:
  FloatInput x_;
  FloatInput init_;
  int64_t d_ = 0, k_ = 0, n_ = 0;
  bool gpu_ = false;
  bool plusPlus_ = false;
  faiss::ClusteringParameters cp_;
  Napi::Reference<Napi::Float32Array> centroids_;
  Napi::Reference<Napi::Int32Array> assignment_;
  Napi::Reference<Napi::Float32Array> distance_;
  float* centroidsOut_ = nullptr;
  int32_t* assignmentOut_ = nullptr;
  float* distanceOut_ = nullptr;
  std::vector<double> objective_;
};

}  // namespace

Napi::Value KMeans(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return AsyncGuard(env, kArgument, [&]() -> Napi::Value {
    FloatInput x = PinFloat32(info[0], "kmeans: x");
    if (!info[1].IsObject()) throw OpError(kArgument, "kmeans: options must be an object");
    auto* worker = new KMeansWorker(env, std::move(x), info[1].As<Napi::Object>());
    return worker->Start();
  });
}

}  // namespace fnode

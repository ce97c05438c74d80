// Index construction, the busy/disposed bookkeeping and the synchronous methods. The async
// methods (train, add, search, write...) live in index_ops.cc.
#include "index_wrap.h"

#include <faiss/AutoTune.h>
#include <faiss/index_factory.h>

#include <cmath>

#include "addon_data.h"
#include "errors.h"
#include "gpu.h"
#include "worker.h"

namespace fnode {

Napi::Function IndexWrap::Define(Napi::Env env) {
  return DefineClass(env, "Index",
                     {
                         InstanceMethod<&IndexWrap::Train>("train"),
                         InstanceMethod<&IndexWrap::Add>("add"),
                         InstanceMethod<&IndexWrap::AddWithIds>("addWithIds"),
                         InstanceMethod<&IndexWrap::SetCentroids>("setCentroids"),
                         InstanceMethod<&IndexWrap::Search>("search"),
                         InstanceMethod<&IndexWrap::RangeSearch>("rangeSearch"),
                         InstanceMethod<&IndexWrap::SetParameter>("setParameter"),
                         InstanceMethod<&IndexWrap::Write>("write"),
                         InstanceMethod<&IndexWrap::ToBuffer>("toBuffer"),
                         InstanceMethod<&IndexWrap::Reset>("reset"),
                         InstanceMethod<&IndexWrap::Dispose>("dispose"),
                         InstanceAccessor<&IndexWrap::GetNtotal>("ntotal"),
                         InstanceAccessor<&IndexWrap::GetDim>("dim"),
                         InstanceAccessor<&IndexWrap::GetIsTrained>("isTrained"),
                         InstanceAccessor<&IndexWrap::GetMetric>("metric"),
                         InstanceAccessor<&IndexWrap::GetDisposed>("disposed"),
                         InstanceAccessor<&IndexWrap::GetOnGpu>("onGpu"),
                     });
}

Napi::Object IndexWrap::Adopt(Napi::Env env, std::unique_ptr<faiss::Index> index) {
  // The External is only reachable from native code, so JS cannot forge an adopted index.
  auto* raw = index.release();
  try {
    return Data(env).indexConstructor.New({Napi::External<faiss::Index>::New(env, raw)});
  } catch (...) {
    delete raw;
    throw;
  }
}

IndexWrap::IndexWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<IndexWrap>(info) {
  Napi::Env env = info.Env();
  Guard(env, kArgument, [&]() -> Napi::Value {
    if (info[0].IsExternal()) {
      index_.reset(info[0].As<Napi::External<faiss::Index>>().Data());
      dim_ = index_->d;
      return env.Undefined();
    }
    dim_ = static_cast<int>(IntArg(info[0], "Index: d", 1, 1 << 20));
    if (!info[1].IsString()) throw OpError(kArgument, "Index: factory must be a string such as \"Flat\" or \"HNSW32\"");
    std::string factory = info[1].As<Napi::String>().Utf8Value();
    std::string metric = info[2].IsUndefined() ? "l2" : info[2].ToString().Utf8Value();
    faiss::MetricType metricType;
    if (metric == "l2") {
      metricType = faiss::METRIC_L2;
    } else if (metric == "ip") {
      metricType = faiss::METRIC_INNER_PRODUCT;
    } else {
      throw OpError(kArgument, "Index: metric must be \"l2\" or \"ip\", got \"" + metric + "\"");
    }
    const bool onGpu = info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value();
    if (onGpu && !gpu::Available()) throw OpError(kGpu, gpu::UnavailableReason());
    try {
      index_.reset(faiss::index_factory(dim_, factory.c_str(), metricType));
    } catch (const faiss::FaissException& e) {
      throw OpError(kArgument, "Index: cannot build \"" + factory + "\": " + e.what());
    }
    if (onGpu) index_ = gpu::ToGpu(*index_);
    return env.Undefined();
  });
}

faiss::Index& IndexWrap::Live(const char* op) {
  if (disposed_ || !index_) throw OpError(kDisposed, std::string(op) + ": the index has been disposed");
  return *index_;
}

faiss::Index& IndexWrap::Acquire(Access access, const char* op) {
  faiss::Index& index = Live(op);
  const bool conflict = access == Access::Exclusive ? (writer_ || readers_ > 0) : writer_;
  if (conflict) {
    throw OpError(kBusy, std::string(op) + ": the index is busy with " + runningOp_ +
                             "; await it before starting this call");
  }
  if (access == Access::Exclusive) {
    writer_ = true;
  } else {
    readers_++;
  }
  runningOp_ = op;
  return index;
}

void IndexWrap::Release(Access access) {
  if (access == Access::Exclusive) {
    writer_ = false;
  } else {
    readers_--;
  }
  if (disposed_ && !writer_ && readers_ == 0) index_.reset();
}

Napi::Value IndexWrap::SetParameter(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kArgument, [&]() -> Napi::Value {
    if (!info[0].IsString()) throw OpError(kArgument, "setParameter: name must be a string (nprobe, efSearch...)");
    std::string name = info[0].As<Napi::String>().Utf8Value();
    if (!info[1].IsNumber()) throw OpError(kArgument, "setParameter: value must be a number");
    double value = info[1].As<Napi::Number>().DoubleValue();
    if (!std::isfinite(value)) throw OpError(kNotFinite, "setParameter: value must be finite");
    if ((name == "nprobe" || name == "efSearch") && (value < 1 || std::floor(value) != value)) {
      throw OpError(kArgument, "setParameter: " + name + " must be a positive integer");
    }
    faiss::Index& index = Acquire(Access::Exclusive, "setParameter");
    try {
      faiss::ParameterSpace().set_index_parameter(&index, name, value);
    } catch (const faiss::FaissException& e) {
      Release(Access::Exclusive);
      throw OpError(kArgument, "setParameter: " + name + " does not apply to this index: " + e.what());
    } catch (...) {
      Release(Access::Exclusive);
      throw;
    }
    Release(Access::Exclusive);
    return info.Env().Undefined();
  });
}

Napi::Value IndexWrap::Reset(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kLibrary, [&]() -> Napi::Value {
    faiss::Index& index = Acquire(Access::Exclusive, "reset");
    try {
      index.reset();
    } catch (...) {
      Release(Access::Exclusive);
      throw;
    }
    Release(Access::Exclusive);
    return info.Env().Undefined();
  });
}

Napi::Value IndexWrap::Dispose(const Napi::CallbackInfo& info) {
  disposed_ = true;
  if (!writer_ && readers_ == 0) index_.reset();
  return info.Env().Undefined();
}

Napi::Value IndexWrap::GetNtotal(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kDisposed,
               [&]() -> Napi::Value { return Napi::Number::New(info.Env(), static_cast<double>(Live("ntotal").ntotal)); });
}

Napi::Value IndexWrap::GetDim(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kDisposed, [&]() -> Napi::Value { return Napi::Number::New(info.Env(), Live("dim").d); });
}

Napi::Value IndexWrap::GetIsTrained(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kDisposed,
               [&]() -> Napi::Value { return Napi::Boolean::New(info.Env(), Live("isTrained").is_trained); });
}

Napi::Value IndexWrap::GetMetric(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kDisposed, [&]() -> Napi::Value {
    switch (Live("metric").metric_type) {
      case faiss::METRIC_L2:
        return Napi::String::New(info.Env(), "l2");
      case faiss::METRIC_INNER_PRODUCT:
        return Napi::String::New(info.Env(), "ip");
      default:
        return Napi::String::New(info.Env(), "other");
    }
  });
}

Napi::Value IndexWrap::GetDisposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), disposed_); }

Napi::Value IndexWrap::GetOnGpu(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kDisposed,
               [&]() -> Napi::Value { return Napi::Boolean::New(info.Env(), gpu::IsGpuIndex(Live("onGpu"))); });
}

}  // namespace fnode

// Index construction, the busy/disposed bookkeeping and the synchronous methods. The async
// methods (train, add, search, write...) live in index_ops.cc.
#include "index_wrap.h"

#include <faiss/AutoTune.h>
#include <faiss/index_factory.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <new>

#include "addon_data.h"
#include "errors.h"
#include "gpu.h"
#include "worker.h"

namespace fnode {

namespace {

faiss::MetricType MetricArg(const Napi::Value& value, const char* op) {
  std::string metric = value.IsUndefined() ? "l2" : value.ToString().Utf8Value();
  if (metric == "l2") return faiss::METRIC_L2;
  if (metric == "ip") return faiss::METRIC_INNER_PRODUCT;
  throw OpError(kArgument, std::string(op) + ": metric must be \"l2\" or \"ip\", got \"" + metric + "\"");
}

// What FAISS 1.7.3 does not check in a factory string but divides by, asserts on, loops on or
// allocates from. The TypeScript layer checks a stricter allow-list grammar first
// (src/layers/faiss/factory-grammar.ts); this is the backstop for a caller of the raw addon, so
// that no string ends the process:
//   - a 0 anywhere (PQ0 is a SIGFPE inside index_factory; IVF0, HNSW0, PQ8x0, PCA0 ... fail later);
//   - a number above kMaxFactoryNumber (std::stoi says only "stoi"; IVF999999999 lists cannot be trained);
//   - HNSW<M> with M above kMaxHnswM (every vector gets 2M links per level);
//   - <n>x<bits> with bits above kMaxBits (PQ8x99 fails an assert(), an abort), or whose codebooks,
//     2^bits * d floats, are more than kMaxCodebookFloats;
//   - NSG (an NSG with R < 5 never ends its build, a small one dies of SIGFPE, a search before its
//     build is an abort);
//   - more than kMaxFactoryLength characters (a 100,000-character string overflows FAISS's
//     recursive parser's stack).
constexpr std::size_t kMaxFactoryLength = 256;
constexpr long kMaxFactoryNumber = 1 << 20;
constexpr long kMaxHnswM = 512;
constexpr long kMaxBits = 16;
constexpr double kMaxCodebookFloats = double(1 << 28);

std::string FormatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void RejectUnsafeFactory(int d, const std::string& factory) {
  if (factory.size() > kMaxFactoryLength) {
    throw OpError(kArgument, "a factory string has at most " + std::to_string(kMaxFactoryLength) + " characters, this one " +
                                 std::to_string(factory.size()));
  }
  if (factory.find("NSG") != std::string::npos) {
    throw OpError(kArgument, "NSG indexes are not supported (FAISS 1.7.3 can hang or crash building them)");
  }
  for (std::size_t i = 0; i < factory.size();) {
    if (!std::isdigit(static_cast<unsigned char>(factory[i]))) {
      i++;
      continue;
    }
    std::size_t j = i;
    while (j < factory.size() && std::isdigit(static_cast<unsigned char>(factory[j]))) j++;
    const std::string number = factory.substr(i, j - i);
    const std::string at = " at character " + std::to_string(i + 1);
    if (number.find_first_not_of('0') == std::string::npos) {
      throw OpError(kArgument, "every number in a factory string must be positive; \"" + factory + "\" has " + number + at);
    }
    if (j - i > 7 || std::stol(number) > kMaxFactoryNumber) {
      throw OpError(kArgument, "number " + number + " in \"" + factory + "\" is too large (at most " +
                                   std::to_string(kMaxFactoryNumber) + ")");
    }
    const long value = std::stol(number);
    if (i >= 4 && factory.compare(i - 4, 4, "HNSW") == 0 && value > kMaxHnswM) {
      throw OpError(kArgument, "HNSW" + number + " in \"" + factory + "\": M is at most " + std::to_string(kMaxHnswM));
    }
    if (i >= 1 && factory[i - 1] == 'x' && i >= 2 && std::isdigit(static_cast<unsigned char>(factory[i - 2]))) {
      if (value > kMaxBits || std::ldexp(double(d), static_cast<int>(value)) > kMaxCodebookFloats) {
        throw OpError(kArgument, "x" + number + " in \"" + factory + "\": at most " + std::to_string(kMaxBits) +
                                     " bits per code, with 2^bits * d at most 2^28 (d = " + std::to_string(d) + ")");
      }
    }
    i = j;
  }
}

// Search-time parameters setParameter accepts, with their bounds. Anything else FAISS's
// ParameterSpace knows is refused: an unbounded efSearch (1e9) grows the search heaps until the
// allocation fails inside an OpenMP region, which is std::terminate.
struct ParameterBound {
  const char* name;
  double min;
  double max;
};
constexpr ParameterBound kParameters[] = {
    {"nprobe", 1, 1 << 20},          {"efSearch", 1, 1 << 16},   {"efConstruction", 1, 1 << 16},
    {"quantizer_efSearch", 1, 1 << 16}, {"quantizer_nprobe", 1, 1 << 20}, {"k_factor", 1, 1 << 10},
    {"k_factor_rf", 1, 1 << 10},     {"max_codes", 0, 9007199254740991.0}, {"ht", 0, 1 << 16},
};

}  // namespace

std::unique_ptr<faiss::Index> BuildFromFactory(int d, const std::string& factory, faiss::MetricType metric) {
  try {
    RejectUnsafeFactory(d, factory);
    return std::unique_ptr<faiss::Index>(faiss::index_factory(d, factory.c_str(), metric));
  } catch (const OpError& e) {
    throw OpError(e.code(), "Index: cannot build \"" + factory + "\": " + e.what());
  } catch (const faiss::FaissException& e) {
    throw OpError(kArgument, "Index: cannot build \"" + factory + "\": " + TidyFaissMessage(e.what()));
  } catch (const std::bad_alloc&) {
    throw OpError(kMemory, "Index: cannot build \"" + factory + "\" at dimension " + std::to_string(d) + ": out of memory");
  } catch (const std::exception& e) {
    // std::stoi and friends: FAISS parses numbers with them.
    throw OpError(kArgument, "Index: cannot build \"" + factory + "\": " + e.what());
  }
}

Napi::Value CheckFactory(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kArgument, [&]() -> Napi::Value {
    const int d = static_cast<int>(IntArg(info[0], "checkFactory: d", 1, 1 << 20));
    if (!info[1].IsString()) throw OpError(kArgument, "checkFactory: factory must be a string");
    const std::string factory = info[1].As<Napi::String>().Utf8Value();
    const faiss::MetricType metric = MetricArg(info[2], "checkFactory");
    try {
      BuildFromFactory(d, factory, metric);  // built and freed at once: nothing is trained or added
    } catch (const OpError& e) {
      return Napi::String::New(info.Env(), e.what());
    }
    return info.Env().Null();
  });
}

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
    const faiss::MetricType metricType = MetricArg(info[2], "Index");
    const bool onGpu = info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value();
    if (onGpu && !gpu::Available()) throw OpError(kGpu, gpu::UnavailableReason());
    index_ = BuildFromFactory(dim_, factory, metricType);
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
    const ParameterBound* bound = nullptr;
    for (const auto& p : kParameters) {
      if (name == p.name) bound = &p;
    }
    if (bound == nullptr) {
      std::string known;
      for (const auto& p : kParameters) known += std::string(known.empty() ? "" : ", ") + p.name;
      throw OpError(kArgument, "setParameter: unknown parameter \"" + name + "\" (one of " + known + ")");
    }
    if (value < bound->min || value > bound->max || std::floor(value) != value) {
      throw OpError(kArgument, "setParameter: " + name + " must be an integer in [" + std::to_string(int64_t(bound->min)) +
                                   ", " + std::to_string(int64_t(bound->max)) + "], got " + FormatNumber(value));
    }
    faiss::Index& index = Acquire(Access::Exclusive, "setParameter");
    try {
      faiss::ParameterSpace().set_index_parameter(&index, name, value);
    } catch (const faiss::FaissException& e) {
      Release(Access::Exclusive);
      throw OpError(kArgument, "setParameter: " + name + " does not apply to this index: " + TidyFaissMessage(e.what()));
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

// Module entry: registers kmeans, Index, checkFactory, readIndex, indexFromBuffer, setThreads/getThreads and the
// build facts (FAISS version, GPU availability) the TypeScript layer reports.
#include <faiss/Index.h>
#include <napi.h>
#include <omp.h>

#include "addon_data.h"
#include "gpu.h"
#include "index_wrap.h"
#include "kmeans.h"
#include "worker.h"

namespace fnode {

namespace {

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), kArgument, [&]() -> Napi::Value {
    // At most 256: libgomp aborts the process (it does not report an error) when it cannot
    // create a thread, and thousands of 8 MiB stacks can exceed the address space or ulimit -u.
    int n = static_cast<int>(IntArg(info[0], "setThreads: n", 1, 256));
    gThreads.store(n);
    omp_set_num_threads(n);  // also for the few synchronous calls made on the JS thread
    return info.Env().Undefined();
  });
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), gThreads.load()); }

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);
  Napi::Function index = IndexWrap::Define(env);
  data->indexConstructor = Napi::Persistent(index);
  if (gThreads.load() == 0) gThreads.store(omp_get_max_threads());

  exports.Set("Index", index);
  exports.Set("kmeans", Napi::Function::New<KMeans>(env, "kmeans"));
  exports.Set("checkFactory", Napi::Function::New<CheckFactory>(env, "checkFactory"));
  exports.Set("readIndex", Napi::Function::New<ReadIndex>(env, "readIndex"));
  exports.Set("indexFromBuffer", Napi::Function::New<IndexFromBuffer>(env, "indexFromBuffer"));
  exports.Set("setThreads", Napi::Function::New<SetThreads>(env, "setThreads"));
  exports.Set("getThreads", Napi::Function::New<GetThreads>(env, "getThreads"));
  exports.Set("faissVersion", Napi::String::New(env, std::to_string(FAISS_VERSION_MAJOR) + "." +
                                                       std::to_string(FAISS_VERSION_MINOR) + "." +
                                                       std::to_string(FAISS_VERSION_PATCH)));
  const bool available = gpu::Available();
  exports.Set("gpuAvailable", Napi::Boolean::New(env, available));
  exports.Set("gpuUnavailableReason", Napi::String::New(env, gpu::UnavailableReason()));
  return exports;
}

}  // namespace fnode

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return fnode::Init(env, exports); }

NODE_API_MODULE(faiss_napi, InitAddon)

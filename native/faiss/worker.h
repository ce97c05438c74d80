// PromiseWorker: the one shape of every heavy call. The JS thread validates arguments, takes its
// inputs (see TypedInput: a copy, or the memory itself when it cannot be detached) and queues the
// worker; Run() executes on a libuv thread; the promise settles on the JS thread. Any exception in
// Run() becomes a rejection with a stable code, never a crash.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "errors.h"

namespace fnode {

// OpenMP thread count chosen by setThreads(). omp_set_num_threads() only affects the calling
// thread's ICV, and heavy calls run on libuv threads, so every worker applies it before running.
extern std::atomic<int> gThreads;
void ApplyThreadCount();

// A typed-array argument of an async call, safe to read on the worker thread.
//
// A Napi::Reference keeps an ArrayBuffer alive but not attached: JS can transfer it
// (postMessage, structuredClone) or shrink a resizable one while the worker reads it, and FAISS
// would then read freed memory. So the elements are copied into memory this struct owns, on the
// JS thread, before the call is queued; only a SharedArrayBuffer (which can neither be detached
// nor shrunk) is read in place, pinned by `ref`. The copy is a memcpy, measured in docs/faiss.md.
template <typename T>
struct TypedInput {
  Napi::Reference<Napi::TypedArray> ref;  // set only when reading a SharedArrayBuffer in place
  std::vector<T> owned;
  const T* data = nullptr;
  size_t length = 0;
};
using FloatInput = TypedInput<float>;

// Takes `value` as a typed array of `type` (named `typeName` in messages) or throws OpError(kArgument)
// naming `what`; a detached buffer is an error too.
template <typename T>
TypedInput<T> TakeTyped(const Napi::Value& value, napi_typedarray_type type, const char* typeName, const char* what);

// Takes `value` as a Float32Array or throws OpError(kArgument) naming `what`.
FloatInput PinFloat32(const Napi::Value& value, const char* what);

// Throws OpError(kNotFinite) when data holds a NaN or an Inf. Runs on the worker thread: a full
// scan of a large input is cheap next to any FAISS call but should not hold the event loop.
void CheckFinite(const float* data, size_t length, const char* what);

// Reads an integer option in [min, max]; throws OpError(kArgument) otherwise.
int64_t IntArg(const Napi::Value& value, const char* what, int64_t min, int64_t max);
int64_t IntOption(const Napi::Object& options, const char* key, int64_t fallback, int64_t min, int64_t max);
bool BoolOption(const Napi::Object& options, const char* key, bool fallback);

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* name)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}

  // Queues the worker and returns its promise. The worker deletes itself after settling.
  Napi::Promise Start() {
    Napi::Promise promise = deferred_.Promise();
    Queue();
    return promise;
  }

 protected:
  virtual void Run() = 0;                          // worker thread: no N-API calls
  virtual Napi::Value Result(Napi::Env env) = 0;   // JS thread, after a successful Run()
  virtual void Finish() {}                         // JS thread, always, before settling

 private:
  void Execute() final;
  void OnOK() final;
  void OnError(const Napi::Error& error) final;

  Napi::Promise::Deferred deferred_;
  const char* code_ = kLibrary;
};

// A promise already rejected with whatever exception is in flight; call inside a catch block.
Napi::Promise RejectCurrent(Napi::Env env, const char* fallbackCode);

// Runs `start` (which validates and queues a worker, returning its promise); any exception thrown
// while validating becomes a rejected promise, so async methods never throw synchronously.
template <typename F>
Napi::Value AsyncGuard(Napi::Env env, const char* fallbackCode, F&& start) {
  try {
    return start();
  } catch (const Napi::Error& e) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(e.Value());
    return deferred.Promise();
  } catch (...) {
    return RejectCurrent(env, fallbackCode);
  }
}

}  // namespace fnode

// PromiseWorker: the one shape of every heavy call. The JS thread validates arguments, pins the
// input typed arrays (a Napi::Reference keeps them alive and their memory is read in place, never
// copied) and queues the worker; Run() executes on a libuv thread; the promise settles on the JS
// thread. Any exception in Run() becomes a rejection with a stable code, never a crash.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstddef>
#include <string>

#include "errors.h"

namespace fnode {

// OpenMP thread count chosen by setThreads(). omp_set_num_threads() only affects the calling
// thread's ICV, and heavy calls run on libuv threads, so every worker applies it before running.
extern std::atomic<int> gThreads;
void ApplyThreadCount();

// A Float32Array argument pinned for the duration of an async call.
struct FloatInput {
  Napi::Reference<Napi::Float32Array> ref;
  const float* data = nullptr;
  size_t length = 0;
};

// Pins `value` as a Float32Array or throws OpError(kArgument) naming `what`.
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

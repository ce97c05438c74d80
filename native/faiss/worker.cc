// Implementation of the PromiseWorker plumbing and argument helpers (see worker.h).
#include "worker.h"

#include <omp.h>

#include <cmath>
#include <limits>

namespace fnode {

std::atomic<int> gThreads{0};

void ApplyThreadCount() {
  int n = gThreads.load();
  if (n > 0) omp_set_num_threads(n);
}

template <typename T>
TypedInput<T> TakeTyped(const Napi::Value& value, napi_typedarray_type type, const char* typeName, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw OpError(kArgument, std::string(what) + " must be a " + typeName);
  }
  Napi::Env env = value.Env();
  napi_typedarray_type actual;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, value, &actual, &length, &data, &buffer, &offset) != napi_ok) {
    throw OpError(kArgument, std::string(what) + ": cannot read the typed array");
  }
  // A SharedArrayBuffer is not an ArrayBuffer to N-API (napi_is_arraybuffer is false for it).
  bool isArrayBuffer = false;
  napi_is_arraybuffer(env, buffer, &isArrayBuffer);
  TypedInput<T> input;
  input.length = length;
  if (isArrayBuffer) {
    bool detached = false;
    napi_is_detached_arraybuffer(env, buffer, &detached);
    if (detached) throw OpError(kArgument, std::string(what) + ": its ArrayBuffer is detached (transferred)");
    if (length > 0) input.owned.assign(static_cast<const T*>(data), static_cast<const T*>(data) + length);
    input.data = input.owned.data();
  } else {
    input.ref = Napi::Persistent(value.As<Napi::TypedArray>());
    input.data = static_cast<const T*>(data);
  }
  return input;
}

template TypedInput<float> TakeTyped<float>(const Napi::Value&, napi_typedarray_type, const char*, const char*);
template TypedInput<int64_t> TakeTyped<int64_t>(const Napi::Value&, napi_typedarray_type, const char*, const char*);
template TypedInput<int32_t> TakeTyped<int32_t>(const Napi::Value&, napi_typedarray_type, const char*, const char*);
template TypedInput<uint8_t> TakeTyped<uint8_t>(const Napi::Value&, napi_typedarray_type, const char*, const char*);

FloatInput PinFloat32(const Napi::Value& value, const char* what) {
  return TakeTyped<float>(value, napi_float32_array, "Float32Array", what);
}

void CheckFinite(const float* data, size_t length, const char* what) {
  // Parallel scan; remembers the first bad position so the message can point at it.
  int64_t firstBad = std::numeric_limits<int64_t>::max();
  const int64_t n = static_cast<int64_t>(length);
#pragma omp parallel for reduction(min : firstBad) schedule(static)
  for (int64_t i = 0; i < n; i++) {
    if (!std::isfinite(data[i]) && i < firstBad) firstBad = i;
  }
  if (firstBad != std::numeric_limits<int64_t>::max()) {
    throw OpError(kNotFinite, std::string(what) + " contains NaN or Inf (element " + std::to_string(firstBad) + ")");
  }
}

int64_t IntArg(const Napi::Value& value, const char* what, int64_t min, int64_t max) {
  if (!value.IsNumber()) throw OpError(kArgument, std::string(what) + " must be a number");
  double v = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v) || std::floor(v) != v || v < static_cast<double>(min) || v > static_cast<double>(max)) {
    throw OpError(kArgument, std::string(what) + " must be an integer in [" + std::to_string(min) + ", " +
                                 std::to_string(max) + "], got " + value.ToString().Utf8Value());
  }
  return static_cast<int64_t>(v);
}

int64_t IntOption(const Napi::Object& options, const char* key, int64_t fallback, int64_t min, int64_t max) {
  Napi::Value v = options.Get(key);
  if (v.IsUndefined()) return fallback;
  return IntArg(v, key, min, max);
}

bool BoolOption(const Napi::Object& options, const char* key, bool fallback) {
  Napi::Value v = options.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) throw OpError(kArgument, std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

void PromiseWorker::Execute() {
  try {
    ApplyThreadCount();
    Run();
  } catch (...) {
    auto [code, message] = DescribeCurrentException(kLibrary);
    code_ = code;
    SetError(message);
  }
}

void PromiseWorker::OnOK() {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  Finish();
  try {
    deferred_.Resolve(Result(env));
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  } catch (...) {
    auto [code, message] = DescribeCurrentException(kLibrary);
    deferred_.Reject(MakeError(env, code, message).Value());
  }
}

void PromiseWorker::OnError(const Napi::Error& error) {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  Finish();
  deferred_.Reject(MakeError(env, code_, error.Message()).Value());
}

Napi::Promise RejectCurrent(Napi::Env env, const char* fallbackCode) {
  auto [code, message] = DescribeCurrentException(fallbackCode);
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(MakeError(env, code, message).Value());
  return deferred.Promise();
}

}  // namespace fnode

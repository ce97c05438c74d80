// Error plumbing shared by every entry point of the addon.
//
// FAISS reports misuse by throwing faiss::FaissException, the standard library by std::exception,
// and our own argument checks by OpError. Nothing may escape into N-API as a C++ exception (that
// would terminate the process), so every synchronous method runs inside Guard() and every async
// worker catches in Execute(). Each JS error carries a stable `code` the TypeScript layer maps to
// a FaissError reason.
#pragma once

#include <napi.h>

#include <faiss/impl/FaissException.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace fnode {

// Stable codes, mirrored in src/layers/faiss/native-binding.ts.
constexpr const char* kArgument = "ERR_FAISS_ARGUMENT";      // bad option or type
constexpr const char* kDimension = "ERR_FAISS_DIMENSION";    // length not a multiple of d, d mismatch
constexpr const char* kNotFinite = "ERR_FAISS_NOT_FINITE";   // NaN or Inf in an input
constexpr const char* kNotTrained = "ERR_FAISS_NOT_TRAINED"; // add/search before train
constexpr const char* kBusy = "ERR_FAISS_BUSY";              // conflicting op already running
constexpr const char* kDisposed = "ERR_FAISS_DISPOSED";      // use after dispose
constexpr const char* kIo = "ERR_FAISS_IO";                  // unreadable / unwritable file or buffer
constexpr const char* kGpu = "ERR_FAISS_GPU";                // GPU requested but not built / failed
constexpr const char* kLibrary = "ERR_FAISS_LIBRARY";        // FaissException we did not foresee
constexpr const char* kMemory = "ERR_FAISS_MEMORY";          // std::bad_alloc

// An error raised by our own checks, with its code.
class OpError : public std::runtime_error {
 public:
  OpError(const char* code, const std::string& message) : std::runtime_error(message), code_(code) {}
  const char* code() const { return code_; }

 private:
  const char* code_;
};

// FAISS's what() reads "Error in <function signature> at <file>:<line>: <what is wrong>", so a
// reader who sees only the first hundred characters learns nothing but the signature. Put what is
// wrong first and keep the rest on a second line: nothing of FAISS's message is dropped.
inline std::string TidyFaissMessage(const std::string& what) {
  const std::string prefix = "Error in ";
  if (what.rfind(prefix, 0) != 0) return what;
  const std::size_t at = what.find(" at ", prefix.size());
  if (at == std::string::npos) return what;
  const std::size_t colon = what.find(": ", at + 4);  // after "<file>:<line>"
  if (colon == std::string::npos) return what;
  const std::string where = what.substr(prefix.size(), colon - prefix.size());
  return what.substr(colon + 2) + "\n(FAISS: in " + where + ")";
}

// Code + message of whatever is in flight; call only inside a catch block.
inline std::pair<const char*, std::string> DescribeCurrentException(const char* fallbackCode) {
  try {
    throw;
  } catch (const OpError& e) {
    return {e.code(), e.what()};
  } catch (const faiss::FaissException& e) {
    return {fallbackCode, TidyFaissMessage(e.what())};
  } catch (const std::bad_alloc&) {
    return {kMemory, "out of memory"};
  } catch (const std::exception& e) {
    return {fallbackCode, e.what()};
  } catch (...) {
    return {fallbackCode, "unknown native error"};
  }
}

inline Napi::Error MakeError(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

// Runs a synchronous method body, converting any C++ exception into a thrown JS error.
template <typename F>
Napi::Value Guard(Napi::Env env, const char* fallbackCode, F&& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;  // already a JS error (NAPI_CPP_EXCEPTIONS): node-addon-api rethrows it into JS
  } catch (...) {
    auto [code, message] = DescribeCurrentException(fallbackCode);
    throw MakeError(env, code, message);
  }
}

}  // namespace fnode

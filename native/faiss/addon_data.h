// Per-environment state of the addon (one per Node isolate / worker thread).
#pragma once

#include <napi.h>

namespace fnode {

struct AddonData {
  Napi::FunctionReference indexConstructor;
};

inline AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace fnode

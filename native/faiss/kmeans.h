// kmeans(x, options): faiss::Clustering on an async worker (see kmeans.cc).
#pragma once

#include <napi.h>

namespace fnode {

Napi::Value KMeans(const Napi::CallbackInfo& info);

}  // namespace fnode

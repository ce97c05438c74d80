// The GPU seam. Compiled for real only when binding.gyp finds a CUDA-enabled FAISS (FAISS_HOME
// with faiss/gpu headers) and defines FAISS_NODE_GPU; otherwise every entry reports why the GPU is
// unavailable, so `device: auto` can fall back and `device: gpu` can fail with a clear message.
#pragma once

#include <faiss/Index.h>

#include <memory>
#include <string>

namespace fnode::gpu {

// True when built with GPU support and at least one CUDA device is visible.
bool Available();

// Why Available() is false (empty when it is true).
std::string UnavailableReason();

// Copies a CPU index to GPU 0 / a GPU index back to the CPU. Throw OpError(kGpu) when unavailable.
std::unique_ptr<faiss::Index> ToGpu(const faiss::Index& cpu);
std::unique_ptr<faiss::Index> ToCpu(const faiss::Index& index);

// Whether `index` lives on a GPU (always false without GPU support).
bool IsGpuIndex(const faiss::Index& index);

// The flat index k-means assigns with: on GPU 0 when `onGpu`, else on the CPU.
std::unique_ptr<faiss::Index> FlatIndex(int d, bool innerProduct, bool onGpu);

}  // namespace fnode::gpu

// See gpu.h. The FAISS_NODE_GPU branch has not been run in CI (no GPU there); it is kept to the
// documented FAISS GPU API (StandardGpuResources, index_cpu_to_gpu / index_gpu_to_cpu).
#include "gpu.h"

#include <faiss/IndexFlat.h>

#include "errors.h"

#ifdef FAISS_NODE_GPU
#include <faiss/gpu/GpuCloner.h>
#include <faiss/gpu/GpuIndex.h>
#include <faiss/gpu/GpuIndexFlat.h>
#include <faiss/gpu/StandardGpuResources.h>
#include <faiss/gpu/utils/DeviceUtils.h>

#include <mutex>
#endif

namespace fnode::gpu {

#ifdef FAISS_NODE_GPU

namespace {
// One resource object (streams, cuBLAS handle, scratch memory) for the process, created lazily.
faiss::gpu::StandardGpuResources& Resources() {
  static std::once_flag once;
  static faiss::gpu::StandardGpuResources* resources = nullptr;
  std::call_once(once, [] { resources = new faiss::gpu::StandardGpuResources(); });
  return *resources;
}
}  // namespace

bool Available() { return faiss::gpu::getNumDevices() > 0; }

std::string UnavailableReason() {
  return Available() ? "" : "the addon was built with GPU support but no CUDA device is visible";
}

std::unique_ptr<faiss::Index> ToGpu(const faiss::Index& cpu) {
  if (!Available()) throw OpError(kGpu, UnavailableReason());
  return std::unique_ptr<faiss::Index>(faiss::gpu::index_cpu_to_gpu(&Resources(), 0, &cpu));
}

std::unique_ptr<faiss::Index> ToCpu(const faiss::Index& index) {
  return std::unique_ptr<faiss::Index>(faiss::gpu::index_gpu_to_cpu(&index));
}

bool IsGpuIndex(const faiss::Index& index) { return dynamic_cast<const faiss::gpu::GpuIndex*>(&index) != nullptr; }

std::unique_ptr<faiss::Index> FlatIndex(int d, bool innerProduct, bool onGpu) {
  if (onGpu) {
    if (!Available()) throw OpError(kGpu, UnavailableReason());
    if (innerProduct) return std::make_unique<faiss::gpu::GpuIndexFlatIP>(&Resources(), d);
    return std::make_unique<faiss::gpu::GpuIndexFlatL2>(&Resources(), d);
  }
  if (innerProduct) return std::make_unique<faiss::IndexFlatIP>(d);
  return std::make_unique<faiss::IndexFlatL2>(d);
}

#else

bool Available() { return false; }

std::string UnavailableReason() {
  return "the addon was built without GPU support (set FAISS_HOME to a CUDA-enabled FAISS and rebuild)";
}

std::unique_ptr<faiss::Index> ToGpu(const faiss::Index&) { throw OpError(kGpu, UnavailableReason()); }

std::unique_ptr<faiss::Index> ToCpu(const faiss::Index&) { throw OpError(kGpu, UnavailableReason()); }

bool IsGpuIndex(const faiss::Index&) { return false; }

std::unique_ptr<faiss::Index> FlatIndex(int d, bool innerProduct, bool onGpu) {
  if (onGpu) throw OpError(kGpu, UnavailableReason());
  if (innerProduct) return std::make_unique<faiss::IndexFlatIP>(d);
  return std::make_unique<faiss::IndexFlatL2>(d);
}

#endif

}  // namespace fnode::gpu

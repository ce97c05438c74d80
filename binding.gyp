# Builds build/Release/faiss_napi.node, the N-API binding to FAISS (native/faiss).
#
# Default: Debian's libfaiss-dev (static /usr/lib/x86_64-linux-gnu/libfaiss.a, FAISS 1.7.3) with
# OpenBLAS and OpenMP. With FAISS_HOME pointing at another FAISS install, its include/ and lib/ are
# used instead; if that install has GPU headers (include/faiss/gpu/GpuIndex.h) the GPU part is
# compiled too (FAISS_NODE_GPU) and linked against CUDA (CUDA_HOME, default /usr/local/cuda).
{
  "variables": {
    "faiss_home%": "<!(node -p \"process.env.FAISS_HOME || ''\")",
    "cuda_home%": "<!(node -p \"process.env.CUDA_HOME || '/usr/local/cuda'\")",
    "faiss_gpu%": "<!(node scripts/check-faiss-deps.mjs --gpu-probe)"
  },
  "targets": [
    {
      "target_name": "faiss_napi",
      "sources": [
        "native/faiss/addon.cc",
        "native/faiss/worker.cc",
        "native/faiss/kmeans.cc",
        "native/faiss/index_wrap.cc",
        "native/faiss/index_ops.cc",
        "native/faiss/gpu.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-O2", "-O0"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-fexceptions", "-frtti", "-Wall", "-Wno-unused-parameter"],
      "ldflags": ["-fopenmp"],
      "conditions": [
        ["faiss_home==''", {
          "libraries": ["-l:libfaiss.a", "-lopenblas", "-lgomp"]
        }, {
          "include_dirs": ["<(faiss_home)/include"],
          "libraries": ["-L<(faiss_home)/lib", "-Wl,-rpath,<(faiss_home)/lib", "-lfaiss", "-lopenblas", "-lgomp"]
        }],
        ["faiss_gpu=='1'", {
          "defines": ["FAISS_NODE_GPU"],
          "include_dirs": ["<(cuda_home)/include"],
          "libraries": ["-L<(cuda_home)/lib64", "-Wl,-rpath,<(cuda_home)/lib64", "-lcudart", "-lcublas"]
        }]
      ]
    }
  ]
}

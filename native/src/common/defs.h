// defs.h — SR_HD marks logic compiled for both the host reference and the CUDA kernels.
#ifndef SR_COMMON_DEFS_H
#define SR_COMMON_DEFS_H

#include <stdint.h>

#if defined(__CUDACC__)
#define SR_HD __host__ __device__ __forceinline__
#else
#define SR_HD inline
#endif

#endif

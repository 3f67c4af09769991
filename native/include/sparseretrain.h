/*
 * sparseretrain.h — the one door into SparseRetrain's native code.
 *
 * Plain C, free of CUDA and cuSPARSELt types, so the JNI glue compiles on any machine. Every op
 * takes a context; the context's device decides whether the host reference (plain C++) or the
 * CUDA kernel runs. Both live behind the same call and share their per-element / per-group logic
 * (native/src/common/ headers, __host__ __device__), so CPU tests exercise the code the kernels run.
 *
 * API version 1 (SR_API_VERSION). The declarations live in topic headers under sparseretrain/, each
 * with its own include guard and C linkage and compilable alone (each includes what it uses); this
 * header includes them all, in dependency order, and is what callers include:
 *   base.h          API version, status / dtype / device enums, sr_context, library and machine
 *                   info, context and memory, casts
 *   masks.h         masks, top-k selection, N:M and transposable 2:4 masks, 2:4 compression
 *   optim.h         mask-aware SGD and AdamW steps
 *   gemm.h          dense GEMM, F32 and bf16 (fp32 accumulation)
 *   layers.h        layer kernels of the training engine, bf16 activations and dropout with a
 *                   device call counter included
 *   sparse_gemm.h   2:4 sparse GEMM plans (cuSPARSELt) and their algorithm search
 *   graph.h         CUDA Graph capture and replay
 *   step_scalars.h  device-resident learning rate and step, and the optimizer steps that read them
 *   xent_acc.h      accumulating softmax cross-entropy
 * The JavaCPP binding (java/native-bridge, SrPresets) lists the same headers in the same order.
 *
 * Conventions
 *  - Every function returns sr_status (SR_OK = 0). On failure the context's last-error message
 *    (sr_context_last_error) names the call, the argument and the offending value; functions that
 *    have no context yet (creation, info) write the thread's last error (sr_thread_last_error).
 *  - An op that fails validation changes nothing: inputs are checked before any output is written.
 *  - Data pointers point to memory of the context's device (host memory for a host context,
 *    device memory for a CUDA context). Scalar results (counts, reports) are written to HOST memory.
 *  - Element counts and shapes are int64_t; dtypes are sr_dtype values; masks are uint8 (0 or 1).
 *  - Tensors are dense row-major. Ops on weight tensors view a weight as [outer, K, inner] with the
 *    reduction dimension K in the middle: Linear [out, in] is outer=out, K=in, inner=1; Conv
 *    [Cout, Cin, kh, kw] is outer=Cout, K=Cin, inner=kh*kw (groups along Cin at each (kh, kw),
 *    as TensorRT/ASP do).
 */
#ifndef SPARSERETRAIN_H
#define SPARSERETRAIN_H

#include "sparseretrain/base.h"
#include "sparseretrain/masks.h"
#include "sparseretrain/optim.h"
#include "sparseretrain/gemm.h"
#include "sparseretrain/layers.h"
#include "sparseretrain/sparse_gemm.h"
#include "sparseretrain/graph.h"
#include "sparseretrain/step_scalars.h"
#include "sparseretrain/xent_acc.h"

#endif /* SPARSERETRAIN_H */

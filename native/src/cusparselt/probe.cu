// probe.cu — the cuSPARSELt component's probe: initialises a handle on device 0 and reports the
// library's run-time version, or the reason it cannot (no driver/GPU: status, never a crash).
#include <cstdio>
#include <cuda_runtime.h>
#include <cusparseLt.h>
#include "sparseretrain.h"

extern "C" __attribute__((visibility("default"))) sr_status sr_lt_probe(char* buf, size_t cap) {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        cudaGetLastError();
        std::snprintf(buf, cap, "built=%d.%d.%d handle=not-created (no CUDA device)", CUSPARSELT_VER_MAJOR,
                      CUSPARSELT_VER_MINOR, CUSPARSELT_VER_PATCH);
        return SR_ERR_NOT_AVAILABLE;
    }
    cusparseLtHandle_t handle;
    cusparseStatus_t st = cusparseLtInit(&handle);
    if (st != CUSPARSE_STATUS_SUCCESS) {
        std::snprintf(buf, cap, "built=%d.%d.%d handle=failed (cusparseLtInit status %d)", CUSPARSELT_VER_MAJOR,
                      CUSPARSELT_VER_MINOR, CUSPARSELT_VER_PATCH, (int)st);
        return SR_ERR_CUSPARSELT;
    }
    int version = 0;
    cusparseLtGetVersion(&handle, &version);
    cusparseLtDestroy(&handle);
    std::snprintf(buf, cap, "built=%d.%d.%d runtime=%d.%d.%d handle=ok", CUSPARSELT_VER_MAJOR, CUSPARSELT_VER_MINOR,
                  CUSPARSELT_VER_PATCH, version / 1000, (version % 1000) / 100, version % 100);
    return SR_OK;
}

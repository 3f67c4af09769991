// host_ops.cpp — the table of host reference implementations.
#include "host/host_ops.h"

const sr_device_ops* sr_host_device_ops() {
    static const sr_device_ops ops = {
        SR_DEVICE_OPS_ABI,
        "host",
        sr_host_init,
        sr_host_shutdown,
        sr_host_synchronize,
        sr_host_malloc,
        sr_host_free,
        sr_host_memcpy,
        sr_host_memset_zero,
        sr_host_cast,
        sr_host_apply_mask,
        sr_host_count_nonzero_many,
        sr_host_select_topk,
        sr_host_mask_nm,
        sr_host_mask_transposable_24,
        sr_host_check_nm,
        sr_host_compress_24,
        sr_host_decompress_24,
        sr_host_sgd_step,
        sr_host_adamw_step,
        sr_host_gemm_f32,
    };
    return &ops;
}

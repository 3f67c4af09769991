// host_ops.cpp — the tables of host reference implementations (the core table and its extension).
#include "host/host_ops.h"
#include "runtime/device_ops.h"

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
        sr_host_bias_add,
        sr_host_bias_grad,
        sr_host_activation_fwd,
        sr_host_activation_bwd,
        sr_host_softmax_xent,
        sr_host_im2col_nhwc,
        sr_host_col2im_nhwc,
        sr_host_maxpool_fwd,
        sr_host_maxpool_bwd,
        sr_host_avgpool_fwd,
        sr_host_avgpool_bwd,
        sr_host_batchnorm_fwd_train,
        sr_host_batchnorm_fwd_eval,
        sr_host_batchnorm_bwd,
        sr_host_dropout_fwd,
        sr_host_dropout_bwd,
        sr_host_permute_nhwc,
        sr_host_axpby,
        sr_host_sum_squares,
    };
    return &ops;
}

// The extension table. Graphs have no host implementation (host ops run synchronously): the core
// refuses them on host contexts before reaching this table, hence the four null entries.
const sr_device_ext_ops* sr_host_device_ext_ops() {
    static const sr_device_ext_ops ops = {SR_DEVICE_OPS_ABI,
                                          sr_host_activation_fwd_bf16,
                                          sr_host_activation_bwd_bf16,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          sr_host_gemm_bf16,
                                          sr_host_step_scalars_advance,
                                          sr_host_sgd_step_dev,
                                          sr_host_adamw_step_dev,
                                          sr_host_softmax_xent_acc,
                                          sr_host_dropout_fwd_dev};
    return &ops;
}

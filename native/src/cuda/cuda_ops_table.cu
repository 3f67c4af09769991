// cuda_ops_table.cu — the exported table of CUDA implementations (dlsym'ed by the core library).
#include "cuda/cuda_ops.h"

#define SR_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

SR_CUDA_EXPORT const sr_device_ops* sr_cuda_device_ops(void) {
    static const sr_device_ops ops = {
        SR_DEVICE_OPS_ABI,
        "cuda",
        sr_cuda_init,
        sr_cuda_shutdown,
        sr_cuda_synchronize,
        sr_cuda_malloc,
        sr_cuda_free,
        sr_cuda_memcpy,
        sr_cuda_memset_zero,
        sr_cuda_cast,
        sr_cuda_apply_mask,
        sr_cuda_count_nonzero_many,
        sr_cuda_select_topk,
        sr_cuda_mask_nm,
        sr_cuda_mask_transposable_24,
        sr_cuda_check_nm,
        sr_cuda_compress_24,
        sr_cuda_decompress_24,
        sr_cuda_sgd_step,
        sr_cuda_adamw_step,
        sr_cuda_gemm_f32,
        sr_cuda_bias_add,
        sr_cuda_bias_grad,
        sr_cuda_activation_fwd,
        sr_cuda_activation_bwd,
        sr_cuda_softmax_xent,
        sr_cuda_im2col_nhwc,
        sr_cuda_col2im_nhwc,
        sr_cuda_maxpool_fwd,
        sr_cuda_maxpool_bwd,
        sr_cuda_avgpool_fwd,
        sr_cuda_avgpool_bwd,
        sr_cuda_batchnorm_fwd_train,
        sr_cuda_batchnorm_fwd_eval,
        sr_cuda_batchnorm_bwd,
        sr_cuda_dropout_fwd,
        sr_cuda_dropout_bwd,
        sr_cuda_permute_nhwc,
        sr_cuda_axpby,
        sr_cuda_sum_squares,
    };
    return &ops;
}

SR_CUDA_EXPORT const sr_device_ext_ops* sr_cuda_device_ext_ops(void) {
    static const sr_device_ext_ops ops = {
        SR_DEVICE_OPS_ABI,
        sr_cuda_activation_fwd_bf16,
        sr_cuda_activation_bwd_bf16,
        sr_cuda_graph_begin,
        sr_cuda_graph_end,
        sr_cuda_graph_launch,
        sr_cuda_graph_destroy,
        sr_cuda_gemm_bf16,
        sr_cuda_step_scalars_advance,
        sr_cuda_sgd_step_dev,
        sr_cuda_adamw_step_dev,
        sr_cuda_softmax_xent_acc,
        sr_cuda_dropout_fwd_dev,
    };
    return &ops;
}

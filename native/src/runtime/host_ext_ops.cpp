// host_ext_ops.cpp — host reference of the extension table (device_ops.h, sr_device_ext_ops): bf16
// activations and the device-resident-scalar steps (host/optim_dev.cpp). It lives in runtime/ rather than host/ only while host/ is being changed on another
// branch (feat/sparse24-layers); it belongs in host/layers_pointwise.cpp + host_ops.h and moves
// there after that merge. Graphs have no host implementation: the core refuses them on host
// contexts before reaching this table.
#include "common/bf16.h"
#include "common/pointwise.h"
#include "host/host_ops.h"
#include "runtime/device_ops.h"

namespace {

// y[i] = bf16(act(float(x[i]))): widened, the shared float formula, rounded once. y may alias x.
sr_status act_fwd_bf16(sr_env*, int32_t act, const uint16_t* x, uint16_t* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = sr_float_to_bf16(sr_act_fwd(act, sr_bf16_to_float(x[i])));
    return SR_OK;
}

// dx[i] = bf16(dy * act'(x)) in float; dx may alias dy.
sr_status act_bwd_bf16(sr_env*, int32_t act, const uint16_t* x, const uint16_t* dy, uint16_t* dx, int64_t n) {
    for (int64_t i = 0; i < n; ++i)
        dx[i] = sr_float_to_bf16(sr_act_bwd(act, sr_bf16_to_float(x[i]), sr_bf16_to_float(dy[i])));
    return SR_OK;
}

}  // namespace

const sr_device_ext_ops* sr_host_device_ext_ops() {
    static const sr_device_ext_ops ops = {SR_DEVICE_OPS_ABI,
                                          act_fwd_bf16,
                                          act_bwd_bf16,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          nullptr,
                                          sr_host_gemm_bf16,
                                          sr_host_step_scalars_advance,
                                          sr_host_sgd_step_dev,
                                          sr_host_adamw_step_dev};
    return &ops;
}

package io.sparseretrain.nativebridge;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.OptimizerOps;
import io.sparseretrain.core.ops.SgdConfig;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/** {@link OptimizerOps} through the C API's mask-aware steps (common/optim_update.h on both devices). */
public final class NativeOptimizerOps implements OptimizerOps {
    private final NativeContext ctx;
    private final Backend backend;

    public NativeOptimizerOps(NativeContext ctx, Backend backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    @Override
    public void sgdStep(Tensor weight, Tensor grad, Tensor momentumBuffer, Tensor mask, SgdConfig c, float lr,
                        boolean firstStep) {
        String op = "SGD step";
        NativeTensor w = TensorChecks.live(weight, backend, op, "weight", DType.F32);
        NativeTensor g = TensorChecks.optional(grad, backend, op, "gradient", DType.F32, weight);
        if (g == null) throw new IllegalArgumentException(op + ": gradient of '" + weight.name() + "' is null");
        NativeTensor b = TensorChecks.optional(momentumBuffer, backend, op, "momentum buffer", DType.F32, weight);
        NativeTensor m = TensorChecks.optional(mask, backend, op, "mask", DType.U8, weight);
        if (c.momentum() != 0 && b == null) {
            throw new IllegalArgumentException(op + ": '" + weight.name() + "' uses momentum " + c.momentum()
                    + " but has no momentum buffer");
        }
        ctx.check(SrNative.sr_sgd_step(ctx.handle(), new FloatPointer(w.pointer()), new FloatPointer(g.pointer()),
                b == null ? null : new FloatPointer(b.pointer()), m == null ? null : new BytePointer(m.pointer()),
                weight.numel(), lr, c.momentum(), c.dampening(), c.weightDecay(), c.nesterov() ? 1 : 0,
                c.decoupledWeightDecay() ? 1 : 0, firstStep ? 1 : 0), "sr_sgd_step", weight);
    }

    @Override
    public void adamwStep(Tensor weight, Tensor grad, Tensor mt, Tensor vt, Tensor mask, AdamWConfig c, float lr, long step) {
        String op = "AdamW step";
        NativeTensor w = TensorChecks.live(weight, backend, op, "weight", DType.F32);
        NativeTensor g = TensorChecks.optional(grad, backend, op, "gradient", DType.F32, weight);
        NativeTensor m1 = TensorChecks.optional(mt, backend, op, "first moment", DType.F32, weight);
        NativeTensor v2 = TensorChecks.optional(vt, backend, op, "second moment", DType.F32, weight);
        if (g == null || m1 == null || v2 == null) {
            throw new IllegalArgumentException(op + ": '" + weight.name() + "' needs gradient, m and v tensors");
        }
        NativeTensor m = TensorChecks.optional(mask, backend, op, "mask", DType.U8, weight);
        ctx.check(SrNative.sr_adamw_step(ctx.handle(), new FloatPointer(w.pointer()), new FloatPointer(g.pointer()),
                new FloatPointer(m1.pointer()), new FloatPointer(v2.pointer()), m == null ? null : new BytePointer(m.pointer()),
                weight.numel(), lr, c.beta1(), c.beta2(), c.eps(), c.weightDecay(), step), "sr_adamw_step", weight);
    }
}

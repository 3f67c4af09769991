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
        SgdOperands o = sgdOperands("SGD step", weight, grad, momentumBuffer, mask, c);
        ctx.check(SrNative.sr_sgd_step(ctx.handle(), o.w(), o.g(), o.buf(), o.mask(), weight.numel(), lr, c.momentum(), c.dampening(),
                c.weightDecay(), c.nesterov() ? 1 : 0, c.decoupledWeightDecay() ? 1 : 0, firstStep ? 1 : 0), "sr_sgd_step", weight);
    }

    @Override
    public void adamwStep(Tensor weight, Tensor grad, Tensor mt, Tensor vt, Tensor mask, AdamWConfig c, float lr, long step) {
        AdamOperands o = adamOperands("AdamW step", weight, grad, mt, vt, mask);
        ctx.check(SrNative.sr_adamw_step(ctx.handle(), o.w(), o.g(), o.m1(), o.v2(), o.mask(), weight.numel(), lr, c.beta1(), c.beta2(),
                c.eps(), c.weightDecay(), step), "sr_adamw_step", weight);
    }

    @Override
    public void advanceStepScalars(Tensor scalars, Tensor lrTable) {
        String op = "step scalars advance";
        NativeTensor s = stepScalars(scalars, op);
        NativeTensor t = TensorChecks.live(lrTable, backend, op, "LR table", DType.F32);
        ctx.check(SrNative.sr_step_scalars_advance(ctx.handle(), new SrNative.sr_step_scalars(s.pointer()),
                new FloatPointer(t.pointer()), lrTable.numel()), "sr_step_scalars_advance", scalars, lrTable);
    }

    @Override
    public void sgdStep(Tensor weight, Tensor grad, Tensor momentumBuffer, Tensor mask, SgdConfig c, Tensor scalars,
                        boolean firstStep) {
        String op = "SGD step (device scalars)";
        SgdOperands o = sgdOperands(op, weight, grad, momentumBuffer, mask, c);
        NativeTensor s = stepScalars(scalars, op);
        ctx.check(SrNative.sr_sgd_step_dev(ctx.handle(), o.w(), o.g(), o.buf(), o.mask(), weight.numel(),
                new SrNative.sr_step_scalars(s.pointer()), c.momentum(), c.dampening(), c.weightDecay(), c.nesterov() ? 1 : 0,
                c.decoupledWeightDecay() ? 1 : 0, firstStep ? 1 : 0), "sr_sgd_step_dev", weight);
    }

    @Override
    public void adamwStep(Tensor weight, Tensor grad, Tensor mt, Tensor vt, Tensor mask, AdamWConfig c, Tensor scalars) {
        String op = "AdamW step (device scalars)";
        AdamOperands o = adamOperands(op, weight, grad, mt, vt, mask);
        NativeTensor s = stepScalars(scalars, op);
        ctx.check(SrNative.sr_adamw_step_dev(ctx.handle(), o.w(), o.g(), o.m1(), o.v2(), o.mask(), weight.numel(),
                new SrNative.sr_step_scalars(s.pointer()), c.beta1(), c.beta2(), c.eps(), c.weightDecay()), "sr_adamw_step_dev", weight);
    }

    /** The pointers of one SGD step; buf and mask may be null (no momentum, no mask). */
    private record SgdOperands(FloatPointer w, FloatPointer g, FloatPointer buf, BytePointer mask) {}

    /** The pointers of one AdamW step; mask may be null. */
    private record AdamOperands(FloatPointer w, FloatPointer g, FloatPointer m1, FloatPointer v2, BytePointer mask) {}

    // One set of checks for both the host-scalar and the device-scalar SGD step: same tensors, same rules.
    private SgdOperands sgdOperands(String op, Tensor weight, Tensor grad, Tensor momentumBuffer, Tensor mask, SgdConfig c) {
        NativeTensor w = TensorChecks.live(weight, backend, op, "weight", DType.F32);
        NativeTensor g = TensorChecks.optional(grad, backend, op, "gradient", DType.F32, weight);
        if (g == null) throw new IllegalArgumentException(op + ": gradient of '" + weight.name() + "' is null");
        NativeTensor b = TensorChecks.optional(momentumBuffer, backend, op, "momentum buffer", DType.F32, weight);
        NativeTensor m = TensorChecks.optional(mask, backend, op, "mask", DType.U8, weight);
        if (c.momentum() != 0 && b == null) {
            throw new IllegalArgumentException(op + ": '" + weight.name() + "' uses momentum " + c.momentum()
                    + " but has no momentum buffer");
        }
        return new SgdOperands(new FloatPointer(w.pointer()), new FloatPointer(g.pointer()), b == null ? null : new FloatPointer(b.pointer()),
                m == null ? null : new BytePointer(m.pointer()));
    }

    private AdamOperands adamOperands(String op, Tensor weight, Tensor grad, Tensor mt, Tensor vt, Tensor mask) {
        NativeTensor w = TensorChecks.live(weight, backend, op, "weight", DType.F32);
        NativeTensor g = TensorChecks.optional(grad, backend, op, "gradient", DType.F32, weight);
        NativeTensor m1 = TensorChecks.optional(mt, backend, op, "first moment", DType.F32, weight);
        NativeTensor v2 = TensorChecks.optional(vt, backend, op, "second moment", DType.F32, weight);
        if (g == null || m1 == null || v2 == null) {
            throw new IllegalArgumentException(op + ": '" + weight.name() + "' needs gradient, m and v tensors");
        }
        NativeTensor m = TensorChecks.optional(mask, backend, op, "mask", DType.U8, weight);
        return new AdamOperands(new FloatPointer(w.pointer()), new FloatPointer(g.pointer()), new FloatPointer(m1.pointer()),
                new FloatPointer(v2.pointer()), m == null ? null : new BytePointer(m.pointer()));
    }

    // The 16-byte sr_step_scalars struct as an I32[4] tensor of this backend.
    private NativeTensor stepScalars(Tensor scalars, String op) {
        NativeTensor s = TensorChecks.live(scalars, backend, op, "step scalars", DType.I32);
        if (scalars.numel() != 4) {
            throw new IllegalArgumentException(op + ": step scalars '" + scalars.name() + "' has " + scalars.numel()
                    + " elements; sr_step_scalars is 4 x 32 bits");
        }
        return s;
    }
}

package io.sparseretrain.nativebridge;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.ShapeException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.Activation;
import io.sparseretrain.core.ops.ConvGeometry;
import io.sparseretrain.core.ops.NnOps;
import io.sparseretrain.core.ops.XentAccumulator;
import io.sparseretrain.core.ops.XentResult;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/** {@link NnOps} through the C API's layer kernels (host reference or CUDA). */
public final class NativeNnOps implements NnOps {
    private final NativeContext ctx;
    private final Backend backend;

    public NativeNnOps(NativeContext ctx, Backend backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    /** An F32 tensor holding at least {@code elements} elements, as a FloatPointer. */
    private FloatPointer f32(Tensor t, String op, String role, long elements) {
        NativeTensor nt = TensorChecks.live(t, backend, op, role, DType.F32);
        requireElements(t, op, role, elements);
        return new FloatPointer(nt.pointer());
    }

    private IntPointer i32(Tensor t, String op, String role, long elements) {
        NativeTensor nt = TensorChecks.live(t, backend, op, role, DType.I32);
        requireElements(t, op, role, elements);
        return new IntPointer(nt.pointer());
    }

    private BytePointer u8(Tensor t, String op, String role, long elements) {
        NativeTensor nt = TensorChecks.live(t, backend, op, role, DType.U8);
        requireElements(t, op, role, elements);
        return new BytePointer(nt.pointer());
    }

    private static void requireElements(Tensor t, String op, String role, long elements) {
        if (elements < 0 || t.numel() < elements) {
            throw new ShapeException(op + ": " + role + " tensor " + t.describe() + " has " + t.numel()
                    + " elements, needs " + elements);
        }
    }

    @Override
    public void biasAdd(Tensor y, Tensor bias, long rows, long cols) {
        String op = "bias add";
        ctx.check(SrNative.sr_bias_add(ctx.handle(), f32(y, op, "output", rows * cols), f32(bias, op, "bias", cols), rows, cols),
                "sr_bias_add", y, bias);
    }

    @Override
    public void biasGrad(Tensor dy, Tensor db, long rows, long cols, boolean accumulate) {
        String op = "bias gradient";
        ctx.check(SrNative.sr_bias_grad(ctx.handle(), f32(dy, op, "dy", rows * cols), f32(db, op, "bias gradient", cols), rows,
                cols, accumulate ? 1f : 0f), "sr_bias_grad", dy, db);
    }

    @Override
    public void activation(Activation act, Tensor x, Tensor y, long n) {
        String op = act + " forward";
        ctx.check(SrNative.sr_activation_fwd(ctx.handle(), act.code(), f32(x, op, "input", n), f32(y, op, "output", n), n),
                "sr_activation_fwd", x, y);
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dy, Tensor dx, long n) {
        String op = act + " backward";
        ctx.check(SrNative.sr_activation_bwd(ctx.handle(), act.code(), f32(x, op, "input", n), f32(dy, op, "dy", n),
                f32(dx, op, "dx", n), n), "sr_activation_bwd", x, dy);
    }

    @Override
    public XentResult softmaxCrossEntropy(Tensor logits, Tensor labels, long rows, long classes, float gradScale, Tensor dlogits) {
        String op = "softmax cross-entropy";
        FloatPointer d = dlogits == null ? null : f32(dlogits, op, "dlogits", rows * classes);
        try (DoublePointer loss = new DoublePointer(1); LongPointer correct = new LongPointer(1)) {
            ctx.check(SrNative.sr_softmax_xent(ctx.handle(), f32(logits, op, "logits", rows * classes), i32(labels, op, "labels", rows),
                    rows, classes, gradScale, d, loss, correct), "sr_softmax_xent", logits, labels);
            return new XentResult(loss.get(), correct.get());
        }
    }

    @Override
    public void softmaxCrossEntropyAcc(Tensor logits, Tensor labels, long rows, long classes, float gradScale, Tensor dlogits,
                                       Tensor acc) {
        String op = "softmax cross-entropy (accumulating)";
        FloatPointer d = dlogits == null ? null : f32(dlogits, op, "dlogits", rows * classes);
        NativeTensor a = TensorChecks.live(acc, backend, op, "accumulator", DType.U8);
        if (acc.numel() != XentAccumulator.BYTES) {
            throw new IllegalArgumentException(op + ": accumulator '" + acc.name() + "' has " + acc.numel()
                    + " bytes; sr_xent_acc is " + XentAccumulator.BYTES);
        }
        ctx.check(SrNative.sr_softmax_xent_acc(ctx.handle(), f32(logits, op, "logits", rows * classes),
                i32(labels, op, "labels", rows), rows, classes, gradScale, d, new SrNative.sr_xent_acc(a.pointer())),
                "sr_softmax_xent_acc", logits, labels);
    }

    @Override
    public void im2col(Tensor x, Tensor cols, ConvGeometry g) {
        String op = "im2col";
        ctx.check(SrNative.sr_im2col_nhwc(ctx.handle(), f32(x, op, "input", g.inputElements()),
                f32(cols, op, "columns", g.outPixels() * g.patchSize()), g.batch(), g.height(), g.width(), g.channels(), g.kh(), g.kw(),
                g.stride(), g.pad()), "sr_im2col_nhwc", x, cols);
    }

    @Override
    public void col2im(Tensor dcols, Tensor dx, ConvGeometry g) {
        String op = "col2im";
        ctx.check(SrNative.sr_col2im_nhwc(ctx.handle(), f32(dcols, op, "column gradient", g.outPixels() * g.patchSize()),
                f32(dx, op, "input gradient", g.inputElements()), g.batch(), g.height(), g.width(), g.channels(), g.kh(), g.kw(),
                g.stride(), g.pad()), "sr_col2im_nhwc", dcols, dx);
    }

    private static long pooled(ConvGeometry g) {
        if (g.kh() != g.kw()) throw new ShapeException("pooling window " + g.kh() + "x" + g.kw() + " is not square");
        return g.outPixels() * g.channels();
    }

    @Override
    public void maxPool(Tensor x, Tensor y, Tensor argmax, ConvGeometry g) {
        String op = "max pool";
        long out = pooled(g);
        ctx.check(SrNative.sr_maxpool_fwd(ctx.handle(), f32(x, op, "input", g.inputElements()), f32(y, op, "output", out),
                i32(argmax, op, "argmax", out), g.batch(), g.height(), g.width(), g.channels(), g.kh(), g.stride(), g.pad()),
                "sr_maxpool_fwd", x, y);
    }

    @Override
    public void maxPoolBackward(Tensor dy, Tensor argmax, Tensor dx, ConvGeometry g) {
        String op = "max pool backward";
        long out = pooled(g);
        ctx.check(SrNative.sr_maxpool_bwd(ctx.handle(), f32(dy, op, "dy", out), i32(argmax, op, "argmax", out),
                f32(dx, op, "dx", g.inputElements()), g.batch(), g.height(), g.width(), g.channels(), g.kh(), g.stride(), g.pad()),
                "sr_maxpool_bwd", dy, dx);
    }

    @Override
    public void avgPool(Tensor x, Tensor y, ConvGeometry g) {
        String op = "average pool";
        ctx.check(SrNative.sr_avgpool_fwd(ctx.handle(), f32(x, op, "input", g.inputElements()), f32(y, op, "output", pooled(g)),
                g.batch(), g.height(), g.width(), g.channels(), g.kh(), g.stride(), g.pad()), "sr_avgpool_fwd", x, y);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, ConvGeometry g) {
        String op = "average pool backward";
        ctx.check(SrNative.sr_avgpool_bwd(ctx.handle(), f32(dy, op, "dy", pooled(g)), f32(dx, op, "dx", g.inputElements()),
                g.batch(), g.height(), g.width(), g.channels(), g.kh(), g.stride(), g.pad()), "sr_avgpool_bwd", dy, dx);
    }

    @Override
    public void batchNormTrain(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               Tensor saveMean, Tensor saveInvStd, long rows, long c, float momentum, float eps) {
        String op = "batch norm (train)";
        ctx.check(SrNative.sr_batchnorm_fwd_train(ctx.handle(), f32(x, op, "input", rows * c), f32(y, op, "output", rows * c),
                f32(gamma, op, "weight", c), f32(beta, op, "bias", c), f32(runningMean, op, "running_mean", c),
                f32(runningVar, op, "running_var", c), f32(saveMean, op, "saved mean", c), f32(saveInvStd, op, "saved inverse std", c),
                rows, c, momentum, eps), "sr_batchnorm_fwd_train", x, gamma);
    }

    @Override
    public void batchNormEval(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, long rows,
                              long c, float eps) {
        String op = "batch norm (eval)";
        ctx.check(SrNative.sr_batchnorm_fwd_eval(ctx.handle(), f32(x, op, "input", rows * c), f32(y, op, "output", rows * c),
                f32(gamma, op, "weight", c), f32(beta, op, "bias", c), f32(runningMean, op, "running_mean", c),
                f32(runningVar, op, "running_var", c), rows, c, eps), "sr_batchnorm_fwd_eval", x, gamma);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma,
                                  Tensor dbeta, long rows, long c) {
        String op = "batch norm backward";
        ctx.check(SrNative.sr_batchnorm_bwd(ctx.handle(), f32(x, op, "input", rows * c), f32(dy, op, "dy", rows * c),
                f32(gamma, op, "weight", c), f32(saveMean, op, "saved mean", c), f32(saveInvStd, op, "saved inverse std", c),
                f32(dx, op, "dx", rows * c), f32(dgamma, op, "weight gradient", c), f32(dbeta, op, "bias gradient", c), rows, c),
                "sr_batchnorm_bwd", x, gamma);
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor keep, long n, float p, long seed, long offset) {
        String op = "dropout";
        ctx.check(SrNative.sr_dropout_fwd(ctx.handle(), f32(x, op, "input", n), f32(y, op, "output", n), u8(keep, op, "keep mask", n),
                n, p, seed, offset), "sr_dropout_fwd", x);
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor keep, long n, float p, long seed, Tensor calls) {
        String op = "dropout";
        ctx.check(SrNative.sr_dropout_fwd_dev(ctx.handle(), f32(x, op, "input", n), f32(y, op, "output", n), u8(keep, op, "keep mask", n),
                n, p, seed, i32(calls, op, "call counter", 1)), "sr_dropout_fwd_dev", x);
    }

    @Override
    public void dropoutBackward(Tensor dy, Tensor keep, Tensor dx, long n, float p) {
        String op = "dropout backward";
        ctx.check(SrNative.sr_dropout_bwd(ctx.handle(), f32(dy, op, "dy", n), u8(keep, op, "keep mask", n), f32(dx, op, "dx", n), n, p),
                "sr_dropout_bwd", dy);
    }

    @Override
    public void permuteNhwc(Tensor x, Tensor y, long b, long h, long w, long c, boolean toNchw) {
        String op = "NHWC/NCHW permute";
        long n = b * h * w * c;
        ctx.check(SrNative.sr_permute_nhwc(ctx.handle(), f32(x, op, "input", n), f32(y, op, "output", n), b, h, w, c, toNchw ? 1 : 0),
                "sr_permute_nhwc", x, y);
    }

    @Override
    public void axpby(float a, Tensor x, float b, Tensor y, long n) {
        String op = "axpby";
        ctx.check(SrNative.sr_axpby(ctx.handle(), a, f32(x, op, "x", n), b, f32(y, op, "y", n), n), "sr_axpby", x, y);
    }

    @Override
    public double sumSquares(Tensor x) {
        NativeTensor nt = TensorChecks.live(x, backend, "sum of squares", "input", DType.F32, DType.BF16);
        double[] out = new double[1];
        ctx.check(SrNative.sr_sum_squares(ctx.handle(), x.dtype().code(), nt.pointer(), x.numel(), out), "sr_sum_squares", x);
        return out[0];
    }
}

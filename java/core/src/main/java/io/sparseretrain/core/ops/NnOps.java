package io.sparseretrain.core.ops;

import io.sparseretrain.core.Tensor;

/**
 * Layer kernels of the training engine (sparseretrain.h, "layer kernels"). Activations are F32
 * row-major; convolutional activations are NHWC so that Conv2d = im2col + the Linear GEMM and
 * BatchNorm / bias work per column. Dimensions are passed explicitly; a tensor must hold at least
 * that many elements and the op touches only that prefix, so one buffer allocated for the largest
 * batch serves every batch, as [B, H, W, C] and as [B·H·W, C] alike.
 */
public interface NnOps {
    /** y[r, c] += b[c]; y holds rows·cols elements. */
    void biasAdd(Tensor y, Tensor bias, long rows, long cols);

    /** db = (accumulate ? db : 0) + column sums of dy [rows, cols]. */
    void biasGrad(Tensor dy, Tensor db, long rows, long cols, boolean accumulate);

    /** y = act(x) over the first n elements (y may be x). */
    void activation(Activation act, Tensor x, Tensor y, long n);

    /** dx = dy · act'(x), x the activation's input (dx may be dy). */
    void activationBackward(Activation act, Tensor x, Tensor dy, Tensor dx, long n);

    /**
     * Softmax cross-entropy of logits [rows, classes] against I32 labels; writes dlogits =
     * (softmax − onehot)·gradScale when dlogits is not null. NaN/Inf logits raise an exception
     * (the divergence guard).
     */
    XentResult softmaxCrossEntropy(Tensor logits, Tensor labels, long rows, long classes, float gradScale, Tensor dlogits);

    /**
     * The capturable variant (sr_softmax_xent_acc): the same dlogits, but loss sum, correct count and
     * rows are ADDED into {@code acc} (an {@link XentAccumulator}'s 32-byte U8 tensor in backend memory)
     * and nothing returns to the host, so the call can sit inside a CUDA Graph. A bad label or NaN/Inf
     * logit cannot raise here: it sets a sticky flag in acc (see {@link XentAccumulator.Totals#error()})
     * and zeroes that row's dlogits. Backends without it throw UnsupportedOperationException.
     */
    default void softmaxCrossEntropyAcc(Tensor logits, Tensor labels, long rows, long classes, float gradScale, Tensor dlogits,
                                        Tensor acc) {
        throw new UnsupportedOperationException("softmax cross-entropy with a device accumulator (sr_softmax_xent_acc) is not "
                + "implemented by " + getClass().getSimpleName() + "; use softmaxCrossEntropy, which returns loss and accuracy");
    }

    void im2col(Tensor x, Tensor cols, ConvGeometry g);

    /** dx (overwritten) = adjoint of im2col applied to dcols. */
    void col2im(Tensor dcols, Tensor dx, ConvGeometry g);

    /** Square k×k window: g.kh() == g.kw(). argmax is I32 of y's size. */
    void maxPool(Tensor x, Tensor y, Tensor argmax, ConvGeometry g);

    void maxPoolBackward(Tensor dy, Tensor argmax, Tensor dx, ConvGeometry g);

    void avgPool(Tensor x, Tensor y, ConvGeometry g);

    void avgPoolBackward(Tensor dy, Tensor dx, ConvGeometry g);

    /** Training-mode batch norm over rows of x [rows, c]; updates running stats, fills saveMean/saveInvStd. */
    void batchNormTrain(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                        Tensor saveMean, Tensor saveInvStd, long rows, long c, float momentum, float eps);

    void batchNormEval(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                       long rows, long c, float eps);

    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx,
                           Tensor dgamma, Tensor dbeta, long rows, long c);

    /** Inverted dropout with a counter-based mask (identical on every backend for seed, offset). */
    void dropout(Tensor x, Tensor y, Tensor keep, long n, float p, long seed, long offset);

    /**
     * The capturable variant (sr_dropout_fwd_dev): the call counter is {@code calls}, a 1-element I32
     * tensor in backend memory read when the op runs (offset = calls << 32, as a uint32, so the mask
     * equals {@link #dropout} with that offset) and then advanced by one, so a CUDA Graph replay draws a
     * fresh mask. Backends without it throw UnsupportedOperationException.
     */
    default void dropout(Tensor x, Tensor y, Tensor keep, long n, float p, long seed, Tensor calls) {
        throw new UnsupportedOperationException("dropout with a device call counter (sr_dropout_fwd_dev) is not implemented by "
                + getClass().getSimpleName());
    }

    void dropoutBackward(Tensor dy, Tensor keep, Tensor dx, long n, float p);

    /** NHWC [b,h,w,c] → NCHW (toNchw) or back; y must not be x. */
    void permuteNhwc(Tensor x, Tensor y, long b, long h, long w, long c, boolean toNchw);

    /** y = a·x + b·y over the first n elements. */
    void axpby(float a, Tensor x, float b, Tensor y, long n);

    /** Σ x² in double (F32 or BF16). */
    double sumSquares(Tensor x);
}

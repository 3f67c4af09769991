package io.sparseretrain.core.ops;

/**
 * A convolution or pooling window over NHWC activations [batch, height, width, channels]:
 * kernel kh×kw, stride and zero padding; output size (h + 2·pad − kh)/stride + 1.
 */
public record ConvGeometry(int batch, int height, int width, int channels, int kh, int kw, int stride, int pad) {
    public ConvGeometry {
        if (batch < 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("NHWC input [" + batch + ", " + height + ", " + width + ", " + channels
                    + "] needs positive height, width and channels");
        }
        if (kh <= 0 || kw <= 0 || stride <= 0 || pad < 0 || pad >= kh || pad >= kw) {
            throw new IllegalArgumentException("window " + kh + "x" + kw + " stride " + stride + " pad " + pad
                    + ": kernel and stride must be positive and 0 <= pad < kernel");
        }
        if (height + 2 * pad < kh || width + 2 * pad < kw) {
            throw new IllegalArgumentException("window " + kh + "x" + kw + " (pad " + pad + ") does not fit a "
                    + height + "x" + width + " input");
        }
    }

    public int outHeight() {
        return (height + 2 * pad - kh) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * pad - kw) / stride + 1;
    }

    public long inputElements() {
        return (long) batch * height * width * channels;
    }

    /** Rows of the im2col matrix: one per output pixel. */
    public long outPixels() {
        return (long) batch * outHeight() * outWidth();
    }

    /** Columns of the im2col matrix: channels·kh·kw (a PyTorch Conv2d weight's flattened [Cin, kh, kw]). */
    public long patchSize() {
        return (long) channels * kh * kw;
    }

    public ConvGeometry withBatch(int b) {
        return new ConvGeometry(b, height, width, channels, kh, kw, stride, pad);
    }
}

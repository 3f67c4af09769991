package io.sparseretrain.testkit.reference;

/**
 * k×k max or average pooling on NHWC x [B, h, w, c], stride, zero padding. Max: padded cells never
 * win, the first maximum in window order gets the gradient. Average: count_include_pad (divide by
 * k·k), as PyTorch's default. Global average pooling is k = h = w, stride 1.
 */
public final class RefPool implements RefLayer {
    private final boolean max;
    private final int h, w, c, k, stride, pad, oh, ow;
    private int[] argmax;
    private int batch;

    public RefPool(boolean max, int h, int w, int c, int k, int stride, int pad) {
        this.max = max;
        this.h = h;
        this.w = w;
        this.c = c;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.oh = (h + 2 * pad - k) / stride + 1;
        this.ow = (w + 2 * pad - k) / stride + 1;
    }

    @Override
    public double[] forward(double[] x, int batch) {
        this.batch = batch;
        double[] y = new double[batch * oh * ow * c];
        argmax = new int[y.length];
        for (int n = 0; n < batch; n++) for (int p = 0; p < oh; p++) for (int q = 0; q < ow; q++) for (int ch = 0; ch < c; ch++) {
            double best = Double.NEGATIVE_INFINITY, sum = 0;
            int arg = -1;
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                int r = p * stride - pad + i, col = q * stride - pad + j;
                if (r < 0 || r >= h || col < 0 || col >= w) continue;
                int xi = ((n * h + r) * w + col) * c + ch;
                sum += x[xi];
                if (x[xi] > best) {
                    best = x[xi];
                    arg = xi;
                }
            }
            int yi = ((n * oh + p) * ow + q) * c + ch;
            y[yi] = max ? best : sum / (k * k);
            argmax[yi] = arg;
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dx = new double[batch * h * w * c];
        for (int n = 0; n < batch; n++) for (int p = 0; p < oh; p++) for (int q = 0; q < ow; q++) for (int ch = 0; ch < c; ch++) {
            int yi = ((n * oh + p) * ow + q) * c + ch;
            if (max) {
                dx[argmax[yi]] += dy[yi];
                continue;
            }
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                int r = p * stride - pad + i, col = q * stride - pad + j;
                if (r >= 0 && r < h && col >= 0 && col < w) dx[((n * h + r) * w + col) * c + ch] += dy[yi] / (k * k);
            }
        }
        return dx;
    }
}

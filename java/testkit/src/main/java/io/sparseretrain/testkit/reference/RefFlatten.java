package io.sparseretrain.testkit.reference;

/** NHWC [B, h, w, c] → flat [B, c·h·w] in PyTorch's (c, h, w) order, as the engine's Flatten. */
public final class RefFlatten implements RefLayer {
    private final int h, w, c;
    private int batch;

    public RefFlatten(int h, int w, int c) {
        this.h = h;
        this.w = w;
        this.c = c;
    }

    private int nhwc(int n, int r, int col, int ch) {
        return ((n * h + r) * w + col) * c + ch;
    }

    private int nchw(int n, int r, int col, int ch) {
        return ((n * c + ch) * h + r) * w + col;
    }

    @Override
    public double[] forward(double[] x, int batch) {
        this.batch = batch;
        double[] y = new double[x.length];
        for (int n = 0; n < batch; n++) for (int r = 0; r < h; r++) for (int col = 0; col < w; col++) for (int ch = 0; ch < c; ch++) {
            y[nchw(n, r, col, ch)] = x[nhwc(n, r, col, ch)];
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dx = new double[dy.length];
        for (int n = 0; n < batch; n++) for (int r = 0; r < h; r++) for (int col = 0; col < w; col++) for (int ch = 0; ch < c; ch++) {
            dx[nhwc(n, r, col, ch)] = dy[nchw(n, r, col, ch)];
        }
        return dx;
    }
}

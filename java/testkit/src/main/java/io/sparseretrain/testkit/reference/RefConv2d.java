package io.sparseretrain.testkit.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * Direct (loop) convolution on NHWC x [B, h, w, cin], weight [cout, cin, k, k] as torch.nn.Conv2d,
 * zero padding; out size (h + 2·pad − k)/stride + 1. Written without im2col on purpose, so that it
 * checks the engine's column order ci·k·k + i·k + j rather than repeating it.
 */
public final class RefConv2d implements RefLayer {
    private final int h, w, cin, cout, k, stride, pad, oh, ow;
    private final RefParam weight;
    private final RefParam bias;
    private double[] x;
    private int batch;

    public RefConv2d(String name, int h, int w, int cin, int cout, int k, int stride, int pad, boolean withBias) {
        this.h = h;
        this.w = w;
        this.cin = cin;
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.oh = (h + 2 * pad - k) / stride + 1;
        this.ow = (w + 2 * pad - k) / stride + 1;
        this.weight = new RefParam(name + ".weight", cout * cin * k * k);
        this.bias = withBias ? new RefParam(name + ".bias", cout) : null;
    }

    public int outHeight() {
        return oh;
    }

    public int outWidth() {
        return ow;
    }

    private int xi(int n, int r, int c, int ch) {
        return ((n * h + r) * w + c) * cin + ch;
    }

    private int wi(int co, int ci, int i, int j) {
        return ((co * cin + ci) * k + i) * k + j;
    }

    @Override
    public double[] forward(double[] x, int batch) {
        this.x = x.clone();
        this.batch = batch;
        double[] y = new double[batch * oh * ow * cout];
        for (int n = 0; n < batch; n++) for (int p = 0; p < oh; p++) for (int q = 0; q < ow; q++) for (int co = 0; co < cout; co++) {
            double s = bias == null ? 0 : bias.value[co];
            for (int ci = 0; ci < cin; ci++) for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                int r = p * stride - pad + i, c = q * stride - pad + j;
                if (r >= 0 && r < h && c >= 0 && c < w) s += x[xi(n, r, c, ci)] * weight.value[wi(co, ci, i, j)];
            }
            y[((n * oh + p) * ow + q) * cout + co] = s;
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        java.util.Arrays.fill(weight.grad, 0);
        if (bias != null) java.util.Arrays.fill(bias.grad, 0);
        double[] dx = new double[batch * h * w * cin];
        for (int n = 0; n < batch; n++) for (int p = 0; p < oh; p++) for (int q = 0; q < ow; q++) for (int co = 0; co < cout; co++) {
            double g = dy[((n * oh + p) * ow + q) * cout + co];
            if (bias != null) bias.grad[co] += g;
            for (int ci = 0; ci < cin; ci++) for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                int r = p * stride - pad + i, c = q * stride - pad + j;
                if (r < 0 || r >= h || c < 0 || c >= w) continue;
                weight.grad[wi(co, ci, i, j)] += g * x[xi(n, r, c, ci)];
                dx[xi(n, r, c, ci)] += g * weight.value[wi(co, ci, i, j)];
            }
        }
        return dx;
    }

    @Override
    public List<RefParam> params() {
        List<RefParam> ps = new ArrayList<>(List.of(weight));
        if (bias != null) ps.add(bias);
        return ps;
    }
}

package io.sparseretrain.testkit.reference;

import java.util.ArrayList;
import java.util.List;

/** y[B,out] = x[B,in]·Wᵀ + b, W [out, in] as torch.nn.Linear. */
public final class RefLinear implements RefLayer {
    private final int in;
    private final int out;
    private final RefParam w;
    private final RefParam b;
    private double[] x;
    private int batch;

    public RefLinear(String name, int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        this.w = new RefParam(name + ".weight", out * in);
        this.b = bias ? new RefParam(name + ".bias", out) : null;
    }

    @Override
    public double[] forward(double[] x, int batch) {
        this.x = x.clone();
        this.batch = batch;
        double[] y = new double[batch * out];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b.value[o];
                for (int i = 0; i < in; i++) s += x[n * in + i] * w.value[o * in + i];
                y[n * out + o] = s;
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        // dW[o,i] = Σ_n dy[n,o]·x[n,i];  db[o] = Σ_n dy[n,o];  dx[n,i] = Σ_o dy[n,o]·W[o,i]
        java.util.Arrays.fill(w.grad, 0);
        if (b != null) java.util.Arrays.fill(b.grad, 0);
        double[] dx = new double[batch * in];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                double g = dy[n * out + o];
                if (b != null) b.grad[o] += g;
                for (int i = 0; i < in; i++) {
                    w.grad[o * in + i] += g * x[n * in + i];
                    dx[n * in + i] += g * w.value[o * in + i];
                }
            }
        }
        return dx;
    }

    @Override
    public List<RefParam> params() {
        List<RefParam> ps = new ArrayList<>(List.of(w));
        if (b != null) ps.add(b);
        return ps;
    }
}

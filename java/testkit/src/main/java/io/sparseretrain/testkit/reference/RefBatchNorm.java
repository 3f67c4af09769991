package io.sparseretrain.testkit.reference;

import java.util.List;

/**
 * Training-mode batch norm per column of x [rows, c] (rows = B for flat, B·h·w for NHWC maps), as
 * torch.nn.BatchNorm: normalise with the biased batch variance; running_var takes the unbiased one.
 */
public final class RefBatchNorm implements RefLayer {
    private final int c;
    private final double momentum, eps;
    private final RefParam gamma, beta;
    public final double[] runningMean, runningVar;
    private double[] xhat, invstd;
    private int rows;

    public RefBatchNorm(String name, int c, double momentum, double eps) {
        this.c = c;
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = new RefParam(name + ".weight", c);
        this.beta = new RefParam(name + ".bias", c);
        java.util.Arrays.fill(gamma.value, 1);
        this.runningMean = new double[c];
        this.runningVar = new double[c];
        java.util.Arrays.fill(runningVar, 1);
    }

    @Override
    public double[] forward(double[] x, int batch) {
        rows = x.length / c;
        xhat = new double[x.length];
        invstd = new double[c];
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mean = 0, var = 0;
            for (int r = 0; r < rows; r++) mean += x[r * c + ch];
            mean /= rows;
            for (int r = 0; r < rows; r++) var += (x[r * c + ch] - mean) * (x[r * c + ch] - mean);
            var /= rows;
            invstd[ch] = 1 / Math.sqrt(var + eps);
            for (int r = 0; r < rows; r++) {
                xhat[r * c + ch] = (x[r * c + ch] - mean) * invstd[ch];
                y[r * c + ch] = gamma.value[ch] * xhat[r * c + ch] + beta.value[ch];
            }
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
            runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * var * rows / (rows - 1);
        }
        return y;
    }

    /** Eval mode: normalise with the running statistics (no backward; nothing is updated). */
    public double[] eval(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i % c;
            y[i] = gamma.value[ch] * (x[i] - runningMean[ch]) / Math.sqrt(runningVar[ch] + eps) + beta.value[ch];
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        // dx = γ·invstd/N · (N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy
        double[] dx = new double[dy.length];
        for (int ch = 0; ch < c; ch++) {
            double db = 0, dg = 0;
            for (int r = 0; r < rows; r++) {
                db += dy[r * c + ch];
                dg += dy[r * c + ch] * xhat[r * c + ch];
            }
            gamma.grad[ch] = dg;
            beta.grad[ch] = db;
            for (int r = 0; r < rows; r++) {
                dx[r * c + ch] = gamma.value[ch] * invstd[ch] / rows * (rows * dy[r * c + ch] - db - xhat[r * c + ch] * dg);
            }
        }
        return dx;
    }

    @Override
    public List<RefParam> params() {
        return List.of(gamma, beta);
    }
}

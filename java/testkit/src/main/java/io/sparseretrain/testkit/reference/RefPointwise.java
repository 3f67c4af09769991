package io.sparseretrain.testkit.reference;

/**
 * Element-wise layers: ReLU, exact (erf) GELU as torch.nn.GELU(), and inverted dropout with a given
 * keep mask (y = keep ? x/(1−p) : 0), so dropout is checked against the mask the engine drew.
 */
public final class RefPointwise implements RefLayer {
    public enum Kind { RELU, GELU, DROPOUT }

    private final Kind kind;
    private final boolean[] keep;
    private final double p;
    private double[] x;

    private RefPointwise(Kind kind, boolean[] keep, double p) {
        this.kind = kind;
        this.keep = keep;
        this.p = p;
    }

    public static RefPointwise relu() {
        return new RefPointwise(Kind.RELU, null, 0);
    }

    public static RefPointwise gelu() {
        return new RefPointwise(Kind.GELU, null, 0);
    }

    public static RefPointwise dropout(boolean[] keep, double p) {
        return new RefPointwise(Kind.DROPOUT, keep, p);
    }

    @Override
    public double[] forward(double[] x, int batch) {
        this.x = x.clone();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            y[i] = switch (kind) {
                case RELU -> v > 0 ? v : 0;
                case GELU -> 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
                case DROPOUT -> keep[i] ? v / (1 - p) : 0;
            };
        }
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dx = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            double v = x[i];
            double d = switch (kind) {
                case RELU -> v > 0 ? 1 : 0;
                // d/dx [x·Φ(x)] = Φ(x) + x·φ(x)
                case GELU -> 0.5 * (1 + Erf.erf(v / Math.sqrt(2))) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
                case DROPOUT -> keep[i] ? 1 / (1 - p) : 0;
            };
            dx[i] = dy[i] * d;
        }
        return dx;
    }
}

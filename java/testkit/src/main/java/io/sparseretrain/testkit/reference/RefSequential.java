package io.sparseretrain.testkit.reference;

import java.util.ArrayList;
import java.util.List;

/** Layers in a chain; parameters in chain order (the engine's Model order). */
public final class RefSequential implements RefLayer {
    private final List<RefLayer> layers;

    public RefSequential(List<RefLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public double[] forward(double[] x, int batch) {
        double[] h = x;
        for (RefLayer l : layers) h = l.forward(h, batch);
        return h;
    }

    @Override
    public double[] backward(double[] dy) {
        double[] g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g);
        return g;
    }

    @Override
    public List<RefParam> params() {
        List<RefParam> ps = new ArrayList<>();
        for (RefLayer l : layers) ps.addAll(l.params());
        return ps;
    }
}

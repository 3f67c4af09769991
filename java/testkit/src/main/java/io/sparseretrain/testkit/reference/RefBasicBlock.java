package io.sparseretrain.testkit.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet basic block relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), 3×3 convolutions without
 * bias; the shortcut is a 1×1 convolution + batch norm when the stride or channel count changes.
 * Parameters: main path, then shortcut (the engine's BasicBlock order).
 */
public final class RefBasicBlock implements RefLayer {
    private final RefSequential main;
    private final RefSequential shortcut;
    private final RefPointwise outRelu = RefPointwise.relu();

    public RefBasicBlock(String name, int h, int w, int cin, int cout, int stride, double momentum, double eps) {
        RefConv2d conv1 = new RefConv2d(name + ".conv1", h, w, cin, cout, 3, stride, 1, false);
        int oh = conv1.outHeight(), ow = conv1.outWidth();
        main = new RefSequential(List.of(conv1, new RefBatchNorm(name + ".bn1", cout, momentum, eps), RefPointwise.relu(),
                new RefConv2d(name + ".conv2", oh, ow, cout, cout, 3, 1, 1, false), new RefBatchNorm(name + ".bn2", cout, momentum, eps)));
        shortcut = stride != 1 || cin != cout
                ? new RefSequential(List.of(new RefConv2d(name + ".shortcut.0", h, w, cin, cout, 1, stride, 0, false),
                        new RefBatchNorm(name + ".shortcut.1", cout, momentum, eps)))
                : new RefSequential(List.of());
    }

    @Override
    public double[] forward(double[] x, int batch) {
        double[] m = main.forward(x, batch), s = shortcut.forward(x, batch);
        double[] sum = new double[m.length];
        for (int i = 0; i < sum.length; i++) sum[i] = m[i] + s[i];
        return outRelu.forward(sum, batch);
    }

    @Override
    public double[] backward(double[] dy) {
        double[] dsum = outRelu.backward(dy);
        double[] dm = main.backward(dsum), ds = shortcut.backward(dsum);
        double[] dx = new double[dm.length];
        for (int i = 0; i < dx.length; i++) dx[i] = dm[i] + ds[i];
        return dx;
    }

    @Override
    public List<RefParam> params() {
        List<RefParam> ps = new ArrayList<>(main.params());
        ps.addAll(shortcut.params());
        return ps;
    }
}

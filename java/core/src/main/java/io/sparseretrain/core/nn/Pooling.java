package io.sparseretrain.core.nn;

import io.sparseretrain.core.ops.ConvGeometry;

/** Output shapes of pooling layers. */
final class Pooling {
    private Pooling() {}

    static Shape outShape(String what, Shape in, int k, int stride, int pad) {
        if (!in.isMap()) throw new IllegalArgumentException(what + " needs an [h, w, c] input, got " + in);
        ConvGeometry g = new ConvGeometry(1, in.height(), in.width(), in.channels(), k, k, stride, pad);
        return Shape.map(g.outHeight(), g.outWidth(), in.channels());
    }
}

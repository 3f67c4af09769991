package io.sparseretrain.core;

import java.util.Arrays;

/** Shape arithmetic and checks whose messages name the tensor and the dimension. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements; every dimension must be >= 0 and the product must fit a long. */
    public static long numel(long... shape) {
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) throw new ShapeException("dimension " + d + " of shape " + Arrays.toString(shape) + " is negative");
            n = Math.multiplyExact(n, shape[d]);
        }
        return n;
    }

    public static String format(long[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The [outer, K, inner] view in which N:M groups run along the reduction dimension K:
     * Linear weight [out, in] → [out, in, 1]; Conv weight [Cout, Cin, kh, kw] → [Cout, Cin, kh·kw]
     * (groups along Cin at each (kh, kw), as TensorRT/ASP do).
     */
    public static long[] reductionView(Tensor weight) {
        long[] s = weight.shape();
        return switch (s.length) {
            case 2 -> new long[] {s[0], s[1], 1};
            case 4 -> new long[] {s[0], s[1], s[2] * s[3]};
            default -> throw new ShapeException("tensor '" + weight.name() + "' has shape " + format(s)
                    + ": N:M sparsity needs a Linear weight [out, in] or a Conv weight [Cout, Cin, kh, kw]");
        };
    }

    public static void requireSameShape(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new ShapeException("tensor '" + b.name() + "' has shape " + format(b.shape()) + " but tensor '"
                    + a.name() + "' has shape " + format(a.shape()));
        }
    }
}

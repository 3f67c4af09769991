package io.sparseretrain.nativebridge;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.DTypeException;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.TensorStateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry checks for the native ops: open, same backend, dtype, shape — messages name the tensor. */
public final class TensorChecks {
    private TensorChecks() {}

    /** The tensor as a NativeTensor of {@code owner}, open. */
    public static NativeTensor live(Tensor t, Object owner, String op, String role) {
        if (t == null) throw new IllegalArgumentException(op + ": " + role + " tensor is null");
        if (!(t instanceof NativeTensor nt) || nt.owner() != owner) {
            throw new TensorStateException(op + ": " + role + " tensor " + t.describe()
                    + " belongs to another backend or device; copy it explicitly first");
        }
        if (t.isClosed()) throw new TensorStateException(op + ": " + role + " tensor '" + t.name() + "' is closed");
        return nt;
    }

    public static NativeTensor live(Tensor t, Object owner, String op, String role, DType... allowed) {
        NativeTensor nt = live(t, owner, op, role);
        for (DType d : allowed) if (t.dtype() == d) return nt;
        throw new DTypeException(op + ": " + role + " tensor " + t.describe() + " has dtype " + t.dtype()
                + "; allowed: " + Arrays.toString(allowed));
    }

    /** Null stays null (optional arguments such as masks and momentum buffers). */
    public static NativeTensor optional(Tensor t, Object owner, String op, String role, DType dtype, Tensor like) {
        if (t == null) return null;
        NativeTensor nt = live(t, owner, op, role, dtype);
        sameNumel(like, t, op);
        return nt;
    }

    public static void sameNumel(Tensor a, Tensor b, String op) {
        if (a.numel() != b.numel()) {
            throw new io.sparseretrain.core.ShapeException(op + ": tensor '" + b.name() + "' has shape "
                    + Shapes.format(b.shape()) + " (" + b.numel() + " elements) but tensor '" + a.name() + "' has shape "
                    + Shapes.format(a.shape()) + " (" + a.numel() + " elements)");
        }
    }

    /** Pairs weights with masks of the same shape; lists must have equal length. */
    public static List<NativeTensor> masksFor(List<Tensor> weights, List<Tensor> masks, Object owner, String op) {
        if (weights.size() != masks.size()) {
            throw new IllegalArgumentException(op + ": " + weights.size() + " weights but " + masks.size() + " masks");
        }
        List<NativeTensor> out = new ArrayList<>(masks.size());
        for (int i = 0; i < masks.size(); i++) {
            NativeTensor m = live(masks.get(i), owner, op, "mask", DType.U8);
            Shapes.requireSameShape(weights.get(i), masks.get(i));
            out.add(m);
        }
        return out;
    }
}

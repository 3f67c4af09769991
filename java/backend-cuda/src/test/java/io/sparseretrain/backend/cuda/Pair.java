package io.sparseretrain.backend.cuda;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA backend and the host reference over the same C API, fed the same host data: every op is
 * run on both and the results copied back for comparison. Tensors made here close with the pair.
 */
final class Pair implements AutoCloseable {
    final CudaBackend cuda;
    final ContextBackend host;
    private final List<Tensor> made = new ArrayList<>();

    Pair(CudaBackend cuda) {
        this.cuda = cuda;
        ContextBackend h;
        try {
            h = ContextBackend.hostReference();
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
        this.host = h;
    }

    /** [host tensor, cuda tensor] holding {@code data} (F32). */
    Tensor[] floats(String name, float[] data, long... shape) {
        return track(host.fromFloats(name, data, shape), cuda.fromFloats(name, data, shape));
    }

    /** [host, cuda] U8 tensors holding {@code data}. */
    Tensor[] bytes(String name, byte[] data, long... shape) {
        return track(host.fromBytes(name, data, shape), cuda.fromBytes(name, data, shape));
    }

    /** [host, cuda] BF16 tensors cast from {@code data} on each side (the cast is compared elsewhere). */
    Tensor[] bf16(String name, float[] data, long... shape) {
        Tensor[] f = floats(name + ".f32", data, shape);
        Tensor[] b = track(host.zeros(name, DType.BF16, shape), cuda.zeros(name, DType.BF16, shape));
        host.cast(f[0], b[0]);
        cuda.cast(f[1], b[1]);
        return b;
    }

    Tensor[] weights(DType dtype, String name, float[] data, long... shape) {
        return dtype == DType.F32 ? floats(name, data, shape) : bf16(name, data, shape);
    }

    Tensor[] zeros(String name, DType dtype, long... shape) {
        return track(host.zeros(name, dtype, shape), cuda.zeros(name, dtype, shape));
    }

    byte[][] bytesOf(Tensor[] t) {
        cuda.synchronize();
        return new byte[][] {host.copyToHostBytes(t[0]), cuda.copyToHostBytes(t[1])};
    }

    float[][] floatsOf(Tensor[] t) {
        cuda.synchronize();
        return new float[][] {host.copyToHostFloats(t[0]), cuda.copyToHostFloats(t[1])};
    }

    short[][] bf16Of(Tensor[] t) {
        cuda.synchronize();
        return new short[][] {host.copyToHostBf16(t[0]), cuda.copyToHostBf16(t[1])};
    }

    static List<Tensor> side(List<Tensor[]> pairs, int side) {
        List<Tensor> out = new ArrayList<>(pairs.size());
        for (Tensor[] p : pairs) out.add(p[side]);
        return out;
    }

    private Tensor[] track(Tensor h, Tensor c) {
        made.add(h);
        made.add(c);
        return new Tensor[] {h, c};
    }

    @Override
    public void close() {
        for (Tensor t : made) t.close();
        host.close();
        cuda.close();
    }
}

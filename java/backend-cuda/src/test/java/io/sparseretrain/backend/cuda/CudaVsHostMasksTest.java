package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;
import static io.sparseretrain.backend.cuda.GpuAssumptions.hostOrSkip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.SelectReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GPU only: every mask op on CUDA gives the host reference's result bit for bit, on random data. */
class CudaVsHostMasksTest {
    /** Odd sizes, a conv shape and a multiple of 4 in every reduction dimension the N:M ops need. */
    private static final long[][] SHAPES = {{7, 13}, {64, 96}, {16, 8, 3, 3}, {1, 1031}, {33, 64}};
    private Pair p;

    @BeforeEach
    void setUp() {
        p = new Pair(cudaOrSkip());
    }

    @AfterEach
    void tearDown() {
        if (p != null) p.close();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16"})
    void applyMaskAndCount(DType dtype) {
        Random r = new Random(11);
        for (long[] shape : SHAPES) {
            int n = (int) io.sparseretrain.core.Shapes.numel(shape);
            Tensor[] w = p.weights(dtype, "w", Compare.randomFloats(r, n), shape);
            Tensor[] m = p.bytes("m", Compare.randomMask(r, n, 0.6), shape);
            p.host.masks().apply(w[0], m[0]);
            p.cuda.masks().apply(w[1], m[1]);
            String what = "apply mask " + dtype + " " + java.util.Arrays.toString(shape);
            if (dtype == DType.F32) {
                float[][] got = p.floatsOf(w);
                Compare.notAllZero(got[0], what);
                Compare.exact(got[0], got[1], what);
            } else {
                short[][] got = p.bf16Of(w);
                Compare.exact(got[0], got[1], what);
            }
            assertEquals(p.host.masks().countNonzero(w[0]), p.cuda.masks().countNonzero(w[1]), "count " + what);
        }
        List<Tensor[]> many = new ArrayList<>();
        for (long[] shape : SHAPES) {
            many.add(p.bytes("m", Compare.randomMask(r, (int) io.sparseretrain.core.Shapes.numel(shape), 0.3), shape));
        }
        assertArrayEquals(p.host.masks().countNonzero(Pair.side(many, 0)), p.cuda.masks().countNonzero(Pair.side(many, 1)),
                "count nonzero over a list of 5 masks");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16"})
    void magnitudeGlobalAndLayerwise(DType dtype) {
        Random r = new Random(12);
        List<Tensor[]> ws = new ArrayList<>(), ms = new ArrayList<>();
        byte[][] before = new byte[SHAPES.length][];
        long live = 0;
        long[] keepPer = new long[SHAPES.length];
        for (int t = 0; t < SHAPES.length; t++) {
            int n = (int) io.sparseretrain.core.Shapes.numel(SHAPES[t]);
            float[] w = Compare.randomFloats(r, n);
            for (int i = 0; i < n; i += 17) w[i] = 0.25f; // ties across tensors exercise the tie rule
            ws.add(p.weights(dtype, "w" + t, w, SHAPES[t]));
            before[t] = Compare.randomMask(r, n, 0.8);
            ms.add(p.bytes("m" + t, before[t], SHAPES[t]));
            long l = 0;
            for (byte b : before[t]) l += b;
            live += l;
            keepPer[t] = l / 3;
        }
        long keep = live / 2;
        SelectReport want = hostOrSkip(() -> p.host.masks().pruneMagnitudeGlobal(Pair.side(ws, 0), Pair.side(ms, 0), keep),
                "global magnitude pruning");
        SelectReport got = p.cuda.masks().pruneMagnitudeGlobal(Pair.side(ws, 1), Pair.side(ms, 1), keep);
        assertEquals(want, got, "global magnitude report " + dtype);
        for (int t = 0; t < SHAPES.length; t++) {
            byte[][] m = p.bytesOf(ms.get(t));
            Compare.someCleared(before[t], m[0], "global magnitude tensor " + t);
            Compare.exact(m[0], m[1], "global magnitude mask of tensor " + t + " " + dtype);
        }
        p.host.masks().pruneMagnitudeLayerwise(Pair.side(ws, 0), Pair.side(ms, 0), keepPer);
        p.cuda.masks().pruneMagnitudeLayerwise(Pair.side(ws, 1), Pair.side(ms, 1), keepPer);
        for (int t = 0; t < SHAPES.length; t++) {
            byte[][] m = p.bytesOf(ms.get(t));
            Compare.exact(m[0], m[1], "layer-wise magnitude mask of tensor " + t + " " + dtype);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"U8"})
    void randomGlobalAndLayerwise(DType unused) {
        Random r = new Random(13);
        List<Tensor[]> ms = new ArrayList<>();
        long live = 0;
        long[] keepPer = new long[SHAPES.length];
        for (int t = 0; t < SHAPES.length; t++) {
            byte[] m = Compare.randomMask(r, (int) io.sparseretrain.core.Shapes.numel(SHAPES[t]), 0.7);
            ms.add(p.bytes("m" + t, m, SHAPES[t]));
            long l = 0;
            for (byte b : m) l += b;
            live += l;
            keepPer[t] = (l * 2) / 5;
        }
        long keep = live / 3;
        SelectReport want = hostOrSkip(() -> p.host.masks().pruneRandomGlobal(Pair.side(ms, 0), keep, 0x5eedL),
                "global random pruning");
        assertEquals(want, p.cuda.masks().pruneRandomGlobal(Pair.side(ms, 1), keep, 0x5eedL), "random global report");
        for (int t = 0; t < SHAPES.length; t++) {
            byte[][] m = p.bytesOf(ms.get(t));
            Compare.exact(m[0], m[1], "random global mask of tensor " + t);
        }
        p.host.masks().pruneRandomLayerwise(Pair.side(ms, 0), keepPer, 99L);
        p.cuda.masks().pruneRandomLayerwise(Pair.side(ms, 1), keepPer, 99L);
        for (int t = 0; t < SHAPES.length; t++) {
            byte[][] m = p.bytesOf(ms.get(t));
            Compare.exact(m[0], m[1], "random layer-wise mask of tensor " + t);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16"})
    void nmTransposableCheckAndCompress(DType dtype) {
        Random r = new Random(14);
        int[][] nms = {{2, 4}, {1, 4}, {4, 8}, {2, 16}};
        long[][] shapes = {{8, 16}, {12, 48}, {16, 32, 3, 3}, {4, 4}};
        for (long[] shape : shapes) {
            int n = (int) io.sparseretrain.core.Shapes.numel(shape);
            float[] wData = Compare.randomFloats(r, n);
            byte[] mData = Compare.randomMask(r, n, 0.85);
            String s = java.util.Arrays.toString(shape) + " " + dtype;
            Tensor[] w = p.weights(dtype, "w", wData, shape);
            for (int[] nm : nms) {
                Tensor[] m = p.bytes("m", mData, shape);
                hostOrSkip(() -> { p.host.masks().maskNM(w[0], m[0], nm[0], nm[1]); return null; }, "N:M mask");
                p.cuda.masks().maskNM(w[1], m[1], nm[0], nm[1]);
                byte[][] got = p.bytesOf(m);
                Compare.someCleared(mData, got[0], nm[0] + ":" + nm[1] + " " + s);
                Compare.exact(got[0], got[1], nm[0] + ":" + nm[1] + " mask " + s);
                assertEquals(p.host.masks().countNMViolations(m[0], nm[0], nm[1]),
                        p.cuda.masks().countNMViolations(m[1], nm[0], nm[1]), "N:M violations " + s);
            }
            Tensor[] dense = p.bytes("dense", Compare.randomMask(r, n, 1.0), shape);
            assertEquals(p.host.masks().countNMViolations(dense[0], 2, 4), p.cuda.masks().countNMViolations(dense[1], 2, 4),
                    "violations of an all-ones mask " + s);
            Tensor[] t = p.bytes("t", mData, shape);
            hostOrSkip(() -> { p.host.masks().maskTransposable24(w[0], t[0]); return null; }, "transposable 2:4");
            p.cuda.masks().maskTransposable24(w[1], t[1]);
            byte[][] tm = p.bytesOf(t);
            Compare.exact(tm[0], tm[1], "transposable 2:4 mask " + s);
            compressRoundTrip(w, t, s);
        }
    }

    private void compressRoundTrip(Tensor[] w, Tensor[] m, String s) {
        try (var hc = hostOrSkip(() -> p.host.masks().compress24(w[0], m[0]), "2:4 compress");
             var cc = p.cuda.masks().compress24(w[1], m[1])) {
            Compare.exact(p.host.copyToHostBytes(hc.meta()), p.cuda.copyToHostBytes(cc.meta()), "2:4 meta " + s);
            Tensor[] back = p.zeros("back", w[0].dtype(), w[0].shape());
            p.host.masks().decompress24(hc, back[0]);
            p.cuda.masks().decompress24(cc, back[1]);
            if (w[0].dtype() == DType.F32) {
                Compare.exact(p.host.copyToHostFloats(hc.values()), p.cuda.copyToHostFloats(cc.values()), "2:4 values " + s);
                float[][] b = p.floatsOf(back);
                Compare.exact(b[0], b[1], "2:4 decompress " + s);
            } else {
                Compare.exact(p.host.copyToHostBf16(hc.values()), p.cuda.copyToHostBf16(cc.values()), "2:4 values " + s);
                short[][] b = p.bf16Of(back);
                Compare.exact(b[0], b[1], "2:4 decompress " + s);
            }
        }
    }
}

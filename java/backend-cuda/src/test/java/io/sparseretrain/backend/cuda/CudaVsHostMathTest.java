package io.sparseretrain.backend.cuda;

import static io.sparseretrain.backend.cuda.GpuAssumptions.cudaOrSkip;

import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GPU only: casts exact; optimizer steps within a few ulp of the host reference (both run
 * common/optim_update.h, but nvcc may contract a*b+c into an FMA where the host compiler does not);
 * GEMM exact on small integers, within a K-scaled bound on random floats.
 */
class CudaVsHostMathTest {
    private static final int[] SIZES = {1, 7, 1000, 4099};
    /** SGD/AdamW: 3 steps, each off by at most ~1 ulp from contraction, compounding. */
    private static final int OPT_ULPS = 8;
    private Pair p;

    @BeforeEach
    void setUp() {
        p = new Pair(cudaOrSkip());
    }

    @AfterEach
    void tearDown() {
        if (p != null) p.close();
    }

    @Test
    void castRoundTripIsExact() {
        Random r = new Random(21);
        for (int n : SIZES) {
            float[] x = Compare.randomFloats(r, n);
            x[0] = Float.NaN;
            if (n > 2) { x[1] = Float.POSITIVE_INFINITY; x[2] = 1.00390625f; } // a tie: rounds to even
            Tensor[] b = p.bf16("b", x, n);
            Compare.exact(p.bf16Of(b)[0], p.bf16Of(b)[1], "cast F32->BF16 n=" + n);
            Tensor[] f = p.zeros("f", DType.F32, n);
            p.host.cast(b[0], f[0]);
            p.cuda.cast(b[1], f[1]);
            float[][] got = p.floatsOf(f);
            Compare.exact(got[0], got[1], "cast BF16->F32 n=" + n);
        }
    }

    @Test
    void sgdVariantsMatchHost() {
        SgdConfig[] configs = {SgdConfig.plain(), new SgdConfig(0.9f, 0.1f, 5e-4f, false, false),
                SgdConfig.nesterov(0.9f, 1e-4f), new SgdConfig(0.8f, 0f, 1e-2f, false, true)};
        Random r = new Random(22);
        for (SgdConfig c : configs) {
            for (int n : SIZES) {
                Tensor[] w = p.floats("w", Compare.randomFloats(r, n), n);
                Tensor[] buf = p.zeros("buf", DType.F32, n);
                Tensor[] m = p.bytes("m", Compare.randomMask(r, n, 0.7), n);
                for (int step = 0; step < 3; step++) {
                    Tensor[] g = p.floats("g", Compare.randomFloats(r, n), n);
                    boolean first = step == 0;
                    p.host.optimizers().sgdStep(w[0], g[0], buf[0], m[0], c, 0.05f, first);
                    p.cuda.optimizers().sgdStep(w[1], g[1], buf[1], m[1], c, 0.05f, first);
                }
                String what = "SGD " + c + " n=" + n;
                float[][] got = p.floatsOf(w);
                Compare.notAllZero(got[0], what);
                Compare.ulps(got[0], got[1], OPT_ULPS, what + " weights");
                float[][] b = p.floatsOf(buf);
                Compare.ulps(b[0], b[1], OPT_ULPS, what + " momentum");
            }
        }
    }

    @Test
    void adamwMatchesHost() {
        Random r = new Random(23);
        AdamWConfig c = new AdamWConfig(0.9f, 0.999f, 1e-8f, 1e-2f);
        for (int n : SIZES) {
            Tensor[] w = p.floats("w", Compare.randomFloats(r, n), n);
            Tensor[] m1 = p.zeros("m", DType.F32, n);
            Tensor[] v2 = p.zeros("v", DType.F32, n);
            Tensor[] mask = p.bytes("mask", Compare.randomMask(r, n, 0.6), n);
            for (long step = 1; step <= 3; step++) {
                Tensor[] g = p.floats("g", Compare.randomFloats(r, n), n);
                p.host.optimizers().adamwStep(w[0], g[0], m1[0], v2[0], mask[0], c, 1e-3f, step);
                p.cuda.optimizers().adamwStep(w[1], g[1], m1[1], v2[1], mask[1], c, 1e-3f, step);
            }
            Compare.ulps(p.floatsOf(w)[0], p.floatsOf(w)[1], OPT_ULPS, "AdamW weights n=" + n);
            Compare.ulps(p.floatsOf(m1)[0], p.floatsOf(m1)[1], OPT_ULPS, "AdamW m n=" + n);
            Compare.ulps(p.floatsOf(v2)[0], p.floatsOf(v2)[1], OPT_ULPS, "AdamW v n=" + n);
        }
    }

    @Test
    void gemmMatchesHost() {
        Random r = new Random(24);
        int[][] mnk = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {128, 64, 256}};
        for (int[] d : mnk) {
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    boolean transA = ta == 1, transB = tb == 1;
                    long[] as = transA ? new long[] {d[2], d[0]} : new long[] {d[0], d[2]};
                    long[] bs = transB ? new long[] {d[1], d[2]} : new long[] {d[2], d[1]};
                    String what = "gemm M,N,K=" + java.util.Arrays.toString(d) + " transA=" + transA + " transB=" + transB;
                    // small integers: every product and partial sum is exact in F32, whatever the order
                    gemmCase(Compare.smallInts(r, d[0] * d[2]), as, Compare.smallInts(r, d[2] * d[1]), bs,
                            Compare.smallInts(r, d[0] * d[1]), d, transA, transB, 0, what + " (integers)");
                    // random floats: |error| <= K · 2^-23 · sum|a||b| with |a|,|b| < 1, plus beta·C
                    double tol = (d[2] + 2) * Math.ulp(1f) * (d[2] + 1);
                    gemmCase(Compare.randomFloats(r, d[0] * d[2]), as, Compare.randomFloats(r, d[2] * d[1]), bs,
                            Compare.randomFloats(r, d[0] * d[1]), d, transA, transB, tol, what + " (floats)");
                }
            }
        }
    }

    @Test
    void explicitDimensionGemmOnNhwcBuffer() {
        // X [B=2,H=3,W=3,C=4] used as [18,4]; W [4,5] -> Y [18,5] (small integers: exact)
        Random r = new Random(25);
        Tensor[] x = p.floats("X", Compare.smallInts(r, 72), 2, 3, 3, 4);
        Tensor[] w = p.floats("W", Compare.smallInts(r, 20), 4, 5);
        Tensor[] y = p.zeros("Y", DType.F32, 2, 3, 3, 5);
        p.host.dense().gemm(false, false, 18, 5, 4, 1f, x[0], w[0], 0f, y[0]);
        p.cuda.dense().gemm(false, false, 18, 5, 4, 1f, x[1], w[1], 0f, y[1]);
        float[][] got = p.floatsOf(y);
        Compare.notAllZero(got[0], "explicit gemm");
        Compare.exact(got[0], got[1], "explicit-dimension gemm [18,4]·[4,5] via " + p.cuda.gemmPath());
    }

    private void gemmCase(float[] a, long[] as, float[] b, long[] bs, float[] c, int[] d, boolean transA, boolean transB,
                          double tol, String what) {
        Tensor[] ta = p.floats("A", a, as);
        Tensor[] tb = p.floats("B", b, bs);
        Tensor[] tc = p.floats("C", c, d[0], d[1]);
        p.host.dense().gemm(transA, transB, 1.5f, ta[0], tb[0], 0.5f, tc[0]);
        p.cuda.dense().gemm(transA, transB, 1.5f, ta[1], tb[1], 0.5f, tc[1]);
        float[][] got = p.floatsOf(tc);
        Compare.notAllZero(got[0], what);
        Compare.abs(got[0], got[1], tol, what + " via " + p.cuda.gemmPath());
    }
}

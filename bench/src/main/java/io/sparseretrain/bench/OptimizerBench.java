package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.SrNative;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.*;

/**
 * Mask-aware optimizer steps over n = 1e7 F32 parameters with a seeded random mask, maskLive = 50 %
 * live (unstructured sparsity after a global prune; -p maskLive=1.0 is the all-live diagnostic that
 * takes the per-element mask branch out of the picture). Steps repeat back to back on the same state; the
 * working set (130-170 MB) is > 4x the 32 MiB L3, so every step streams from DRAM.
 * Bytes touched per element:
 *  sgd   (Nesterov, momentum 0.9, L2 wd): read w, g, buf (12 B) + mask (1 B), write w, buf (8 B) = 21 B.
 *  adamw:                                 read w, g, m, v (16 B) + mask (1 B), write w, m, v (12 B) = 29 B.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class OptimizerBench {
    static final long N = 10_000_000L;

    @Param({"0.5"})
    public double maskLive;

    private HostArena arena;
    private FloatPointer w, g, buf, m, v;
    private BytePointer mask;

    @Setup(Level.Trial)
    public void setup() {
        arena = new HostArena();
        w = arena.gaussian(N, 0.02f, 7);
        g = arena.gaussian(N, 1e-3f, 8);
        buf = arena.gaussian(N, 1e-3f, 9);
        m = arena.floats(N);
        v = arena.floats(N);
        arena.check(SrNative.sr_memset_zero(arena.h(), m, 4 * N), "sr_memset_zero(m)");
        arena.check(SrNative.sr_memset_zero(arena.h(), v, 4 * N), "sr_memset_zero(v)");
        mask = arena.randomMask(N, maskLive, 10);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int sgdNesterovWd() {
        int st = SrNative.sr_sgd_step(arena.h(), w, g, buf, mask, N, 0.01f, 0.9f, 0f, 1e-4f, 1, 0, 0);
        arena.check(st, "sr_sgd_step");
        return st;
    }

    @Benchmark
    public int adamw() {
        int st = SrNative.sr_adamw_step(arena.h(), w, g, m, v, mask, N, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 10);
        arena.check(st, "sr_adamw_step");
        return st;
    }
}

package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.SrNative;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.*;

/**
 * Structured masks on one F32 Linear weight [out=2500, in=4000] (1e7 elements, 40 MB, > L3), viewed
 * as [outer=2500, K=4000, inner=1].
 *  nm24:           sr_mask_nm, 2:4 along K.
 *  transposable24: sr_mask_transposable_24 (best of 90 patterns per 4x4 block).
 * Both rewrite the mask in place, so every invocation starts from an all-live mask (reset in
 * @Setup(Level.Invocation), untimed) followed by a 64 MiB cache eviction.
 * Bytes touched (minimum): read w (4 B) + read mask (1 B) + write mask (1 B) = 6 B per element.
 * The host reference first scans w+mask for live NaNs (so nothing is written on error): 11 B.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class MaskPatternBench {
    static final long OUTER = 2500, K = 4000, N = OUTER * K;

    private HostArena arena;
    private FloatPointer w;
    private BytePointer mask;

    @Setup(Level.Trial)
    public void setup() {
        arena = new HostArena();
        w = arena.gaussian(N, 0.02f, 42);
        mask = arena.bytes(N);
    }

    @Setup(Level.Invocation)
    public void resetMask() {
        mask.fill(1);
        arena.evictCaches();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int nm24() {
        int st = SrNative.sr_mask_nm(arena.h(), SrNative.SR_F32, w, mask, OUTER, K, 1, 2, 4);
        arena.check(st, "sr_mask_nm");
        return st;
    }

    @Benchmark
    public int transposable24() {
        int st = SrNative.sr_mask_transposable_24(arena.h(), SrNative.SR_F32, w, mask, OUTER, K, 1);
        arena.check(st, "sr_mask_transposable_24");
        return st;
    }
}

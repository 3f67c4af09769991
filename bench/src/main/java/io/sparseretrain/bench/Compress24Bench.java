package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.SrNative;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.*;

/**
 * sr_compress_24 of an F32 weight [2500, 4000] (1e7 elements) with a valid 2:4 mask (from
 * sr_mask_nm, once per trial). Inputs are not modified, so invocations repeat back to back; the
 * working set (w 40 MB + mask 10 MB + values 20 MB + meta 2.5 MB) is > 2x the 32 MiB L3.
 * Bytes touched (minimum): read w (4 B) + mask (1 B), write values (2 B: n/2 floats) + meta
 * (0.25 B) = 7.25 B per element. The host reference validates every group's mask first (+1 B).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class Compress24Bench {
    static final long OUTER = MaskPatternBench.OUTER, K = MaskPatternBench.K, N = OUTER * K;

    private HostArena arena;
    private FloatPointer w, values;
    private BytePointer mask, meta;

    @Setup(Level.Trial)
    public void setup() {
        arena = new HostArena();
        w = arena.gaussian(N, 0.02f, 43);
        mask = arena.bytes(N);
        mask.fill(1);
        arena.check(SrNative.sr_mask_nm(arena.h(), SrNative.SR_F32, w, mask, OUTER, K, 1, 2, 4), "sr_mask_nm");
        values = arena.floats(N / 2);
        meta = arena.bytes(N / 4);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int compress24() {
        int st = SrNative.sr_compress_24(arena.h(), SrNative.SR_F32, w, mask, OUTER, K, 1, values, meta);
        arena.check(st, "sr_compress_24");
        return st;
    }
}

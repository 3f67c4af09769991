package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.SrNative;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.openjdk.jmh.annotations.*;

/**
 * Global magnitude selection (sr_prune_magnitude_global), F32, n weights split 10/20/30/40 % over
 * four tensors, keep = keepFraction * n (0.5: a one-shot prune to 50 %).
 *
 * Design: every invocation starts from all-live masks (reset in @Setup(Level.Invocation), untimed)
 * followed by a 64 MiB cache eviction, so each timed call does the full work — level-1 histogram,
 * level-2 histogram and the mask write — on cold caches. (keep == live would skip the mask write
 * and measure only the two histogram passes; -p keepFraction=1.0 does exactly that, as a
 * diagnostic that splits the time between the histogram passes and the mask write.)
 *
 * Bytes touched (the minimum any selection needs): read w (4 B) + read mask (1 B) + write mask
 * (1 B) = 6 B per weight. The host reference streams weights+masks 3 times (16 B per weight).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class SelectBench {
    private static final double[] SPLIT = {0.1, 0.2, 0.3, 0.4};

    @Param({"10000000", "100000000"})
    public long n;

    @Param({"0.5"})
    public double keepFraction;

    private HostArena arena;
    private BytePointer[] masks;
    private PointerPointer<FloatPointer> weightList;
    private PointerPointer<BytePointer> maskList;
    private LongPointer sizes;
    private SrNative.sr_select_report report;
    private long keep;

    @Setup(Level.Trial)
    public void setup() {
        arena = new HostArena();
        int t = SPLIT.length;
        weightList = new PointerPointer<>(t);
        maskList = new PointerPointer<>(t);
        sizes = new LongPointer(t);
        masks = new BytePointer[t];
        long assigned = 0;
        for (int i = 0; i < t; i++) {
            long size = i == t - 1 ? n - assigned : (long) (SPLIT[i] * n);
            assigned += size;
            weightList.put(i, arena.gaussian(size, 0.02f, 1000 + i));
            masks[i] = arena.bytes(size);
            maskList.put(i, masks[i]);
            sizes.put(i, size);
        }
        report = new SrNative.sr_select_report();
        keep = (long) (keepFraction * n);
    }

    @Setup(Level.Invocation)
    public void resetMasks() {
        for (BytePointer m : masks) m.fill(1);
        arena.evictCaches();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SrNative.sr_select_report r = report;
        if (r.kept_above() + r.kept_ties() != keep) throw new IllegalStateException("kept " + r.kept_above() + "+" + r.kept_ties());
        report.close();
        weightList.close();
        maskList.close();
        sizes.close();
        arena.close();
    }

    @Benchmark
    public int magnitudeGlobal() {
        int st = SrNative.sr_prune_magnitude_global(arena.h(), SrNative.SR_F32, masks.length, weightList, maskList,
                sizes, keep, report);
        arena.check(st, "sr_prune_magnitude_global");
        return st;
    }
}

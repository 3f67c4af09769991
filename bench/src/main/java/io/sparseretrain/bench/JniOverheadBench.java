package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.SrNative;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.*;

/**
 * Cost of crossing JNI through the generated JavaCPP binding, target <= 1 us per call.
 * dtypeSize: no pointer arguments, no context. applyMaskEmpty: a context and two Pointer
 * arguments (JavaCPP reads each Pointer's address and position fields) through sr_apply_mask's
 * full argument checks (context, dtype, n >= 0) up to the n == 0 early return.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JniOverheadBench {
    private HostArena arena;
    private FloatPointer w;
    private BytePointer mask;

    @Setup(Level.Trial)
    public void setup() {
        arena = new HostArena();
        w = arena.floats(16);
        mask = arena.bytes(16);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int dtypeSize() {
        return SrNative.sr_dtype_size(SrNative.SR_F32);
    }

    @Benchmark
    public int applyMaskEmpty() {
        return SrNative.sr_apply_mask(arena.h(), SrNative.SR_F32, w, mask, 0);
    }
}

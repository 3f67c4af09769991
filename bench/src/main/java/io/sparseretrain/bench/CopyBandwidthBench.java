package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.SrNative;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.openjdk.jmh.annotations.*;

/**
 * Single-thread copy bandwidth, the yardstick of the host ops (same JVM run, same machine).
 * 256 MiB source -> 256 MiB destination, 8x the L3, so both stream from/to DRAM.
 * Bytes touched per op = 2 * 256 MiB (read src + write dst).
 * memcpy: sr_memcpy on a host context (glibc memmove). unsafeCopy: sun.misc.Unsafe.copyMemory, the
 * fastest copy a plain Java library can do on native memory (JDK 17 has no final MemorySegment).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class CopyBandwidthBench {
    static final long BYTES = 256L << 20;

    private HostArena arena;
    private Pointer src, dst;
    private sun.misc.Unsafe unsafe;

    @Setup(Level.Trial)
    public void setup() throws ReflectiveOperationException {
        arena = new HostArena();
        src = arena.alloc(BYTES);
        dst = arena.alloc(BYTES);
        Pointer.memset(src, 7, BYTES); // fault every page in before timing
        Pointer.memset(dst, 0, BYTES);
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        unsafe = (sun.misc.Unsafe) f.get(null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int memcpy() {
        int st = SrNative.sr_memcpy(arena.h(), dst, src, BYTES, SrNative.SR_COPY_HOST_TO_DEVICE);
        arena.check(st, "sr_memcpy");
        return st;
    }

    @Benchmark
    public void unsafeCopy() {
        unsafe.copyMemory(src.address(), dst.address(), BYTES);
    }
}

package io.sparseretrain.bench;

import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.SrNative;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A host {@code sr_context} and the buffers sr_malloc'ed from it (64-byte aligned host memory),
 * freed together on close. Benchmarks call SrNative directly on these buffers so that what is
 * timed is the JNI call plus the native op, not the Java facade.
 */
final class HostArena implements AutoCloseable {
    /** Larger than the 32 MiB L3 of the reference machine: streaming it evicts the op's inputs. */
    static final long EVICT_BYTES = 64L << 20;
    private static final int CHUNK = 1 << 20; // elements per Java->native fill copy (4 MiB of floats)

    final NativeContext ctx = NativeContext.create(NativeContext.HOST, 0);
    private final List<Pointer> owned = new ArrayList<>();
    private Pointer evict;

    SrNative.sr_context h() {
        return ctx.handle();
    }

    /** Throws with the context's message when a call failed (benchmarks must not time errors). */
    void check(int status, String call) {
        ctx.check(status, call);
    }

    Pointer alloc(long bytes) {
        Pointer p = new Pointer();
        check(SrNative.sr_malloc(h(), bytes, p), "sr_malloc(" + bytes + ")");
        owned.add(p);
        return p.capacity(bytes);
    }

    FloatPointer floats(long n) {
        return new FloatPointer(alloc(4 * n)).capacity(n);
    }

    BytePointer bytes(long n) {
        return new BytePointer(alloc(n)).capacity(n);
    }

    /** n floats ~ N(0, 1) scaled by `scale`, seeded, written in chunks (no n-sized Java array). */
    FloatPointer gaussian(long n, float scale, long seed) {
        FloatPointer p = floats(n);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] buf = new float[CHUNK];
        for (long off = 0; off < n; off += CHUNK) {
            int len = (int) Math.min(CHUNK, n - off);
            for (int i = 0; i < len; i++) buf[i] = scale * (float) gaussian(rnd);
            p.position(off).put(buf, 0, len);
        }
        return p.position(0);
    }

    /** n mask bytes, each 1 with probability `live` (seeded), else 0. */
    BytePointer randomMask(long n, double live, long seed) {
        BytePointer p = bytes(n);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[CHUNK];
        for (long off = 0; off < n; off += CHUNK) {
            int len = (int) Math.min(CHUNK, n - off);
            for (int i = 0; i < len; i++) buf[i] = (byte) (rnd.nextDouble() < live ? 1 : 0);
            p.position(off).put(buf, 0, len);
        }
        return p.position(0);
    }

    /** Streams EVICT_BYTES of unrelated memory so the next op starts with cold caches. */
    void evictCaches() {
        if (evict == null) evict = alloc(EVICT_BYTES);
        Pointer.memset(evict, 1, EVICT_BYTES);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; u1 in (0, 1] so the log is finite.
        double u1 = 1.0 - rnd.nextDouble(), u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    @Override
    public void close() {
        if (ctx.isClosed()) return;
        for (Pointer p : owned) SrNative.sr_free(ctx.handle(), p);
        owned.clear();
        ctx.close();
    }
}

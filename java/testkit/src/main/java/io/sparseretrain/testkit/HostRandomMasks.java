package io.sparseretrain.testkit;

import io.sparseretrain.nativebridge.NativeContext;
import io.sparseretrain.nativebridge.SrNative;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Random pruning computed by a host {@link NativeContext} on plain JavaCPP host memory, independent
 * of any backend: the mask every backend must reproduce for the same seed.
 */
final class HostRandomMasks {
    private HostRandomMasks() {}

    static byte[][] pruneRandomGlobal(byte[][] masks, long keep, long seed) {
        int count = masks.length;
        BytePointer[] bufs = new BytePointer[count];
        long[] sizes = new long[count];
        try (NativeContext ctx = NativeContext.create(NativeContext.HOST, 0);
             PointerPointer<BytePointer> pp = new PointerPointer<>(count)) {
            for (int t = 0; t < count; t++) {
                bufs[t] = new BytePointer(Math.max(1, masks[t].length));
                bufs[t].put(masks[t]);
                sizes[t] = masks[t].length;
                pp.put(t, bufs[t]);
            }
            try (LongPointer sz = new LongPointer(sizes)) {
                ctx.check(SrNative.sr_prune_random_global(ctx.handle(), count, pp, sz, keep, seed, null),
                        "sr_prune_random_global (host reference)");
            }
            byte[][] out = new byte[count][];
            for (int t = 0; t < count; t++) {
                out[t] = new byte[masks[t].length];
                bufs[t].get(out[t]);
            }
            return out;
        } finally {
            for (BytePointer b : bufs) if (b != null) b.close();
        }
    }
}

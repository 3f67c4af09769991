package io.sparseretrain.nativebridge;

import io.sparseretrain.core.BackendUnavailableException;
import io.sparseretrain.core.NativeCallException;
import io.sparseretrain.core.Tensor;
import java.util.StringJoiner;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * An {@code sr_context}: one device (host or a CUDA ordinal), its stream and workspace. Closed
 * exactly once; every native status is turned into a {@link NativeCallException} naming the call,
 * the tensors and their shapes. Not thread-safe (one context per thread at a time).
 */
public final class NativeContext implements AutoCloseable {
    public static final int HOST = SrNative.SR_DEVICE_HOST;
    public static final int CUDA = SrNative.SR_DEVICE_CUDA;

    private SrNative.sr_context handle;
    private final int deviceKind;

    private NativeContext(SrNative.sr_context handle, int deviceKind) {
        this.handle = handle;
        this.deviceKind = deviceKind;
    }

    /** A host context, or a CUDA context on {@code ordinal}; BackendUnavailableException with the reason. */
    public static NativeContext create(int deviceKind, int ordinal) {
        String err = NativeLibrary.loadError();
        if (err != null) throw new BackendUnavailableException(err);
        SrNative.sr_context h = new SrNative.sr_context();
        int st = SrNative.sr_context_create(deviceKind, ordinal, h);
        if (st != SrNative.SR_OK) {
            String msg = SrNative.sr_thread_last_error().getString();
            if (st == SrNative.SR_ERR_NOT_AVAILABLE) throw new BackendUnavailableException(msg);
            throw new NativeCallException("sr_context_create", statusName(st), msg, null, null);
        }
        return new NativeContext(h, deviceKind);
    }

    public int deviceKind() {
        return deviceKind;
    }

    /** The live handle (throws if closed). */
    public SrNative.sr_context handle() {
        if (handle == null) throw new IllegalStateException("native context is closed");
        return handle;
    }

    /** Opaque cudaStream_t of a CUDA context, null pointer on host. */
    public Pointer stream() {
        return SrNative.sr_context_stream(handle());
    }

    /** Throws NativeCallException for a failed status, naming the tensors involved. */
    public void check(int status, String call, Tensor... tensors) {
        if (status == SrNative.SR_OK) return;
        String msg = SrNative.sr_context_last_error(handle()).getString();
        StringJoiner names = new StringJoiner(", ");
        long[] shape = null;
        for (Tensor t : tensors) {
            if (t == null) continue;
            names.add(t.name());
            if (shape == null) shape = t.shape();
        }
        String tensorNames = names.length() == 0 ? null : names.toString();
        throw new NativeCallException(call, statusName(status), msg, tensorNames, tensors.length == 1 ? shape : shape);
    }

    public void synchronize() {
        check(SrNative.sr_context_synchronize(handle()), "sr_context_synchronize");
    }

    /** A host array of the tensors' native addresses, for the list ops. */
    public static PointerPointer<Pointer> addresses(java.util.List<? extends NativeTensor> tensors) {
        PointerPointer<Pointer> pp = new PointerPointer<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) pp.put(i, tensors.get(i).pointer());
        return pp;
    }

    public static String statusName(int status) {
        return SrNative.sr_status_name(status).getString();
    }

    public boolean isClosed() {
        return handle == null;
    }

    @Override
    public void close() {
        if (handle == null) return;
        SrNative.sr_context_destroy(handle);
        handle = null;
    }
}

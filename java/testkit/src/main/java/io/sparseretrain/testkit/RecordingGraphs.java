package io.sparseretrain.testkit;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Device;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.core.ops.MaskOps;
import io.sparseretrain.core.ops.NnOps;
import io.sparseretrain.core.ops.OptimizerOps;
import io.sparseretrain.core.ops.SparseGemmOps;
import io.sparseretrain.core.ops.SparseGemmPlan;
import io.sparseretrain.core.ops.StepGraphs;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A stand-in for CUDA Graphs on a backend that has none (the CPU backend), so that CI without a GPU
 * checks what capture does to the Java side of a step. It keeps CUDA's rules: while a body is being
 * captured, an op that only changes device memory is RECORDED, not run (with the tensors and scalar
 * arguments of that moment, as a kernel's parameters are); a replay runs the recorded ops again on the
 * current buffer contents. What a real capture refuses is refused here, naming the call: allocation,
 * host↔device copies, synchronizing, ops that return a value to the host, making or freeing a 2:4 plan.
 * A step that follows its schedule, counters and masks through memory replays equal to the same steps
 * run uncaptured; one that froze a host value into the graph does not — which the tests assert.
 *
 * <p>Not a model of CUDA's execution (nothing here is asynchronous), and not a product feature: the
 * CPU backend itself offers no graphs.
 */
public final class RecordingGraphs implements Backend {
    /** Ops that return a value without reading or writing device memory: allowed while capturing. */
    private static final Set<String> QUERIES = Set.of("unsupportedReason", "m", "n", "k", "op", "isClosed", "toString", "hashCode", "equals");

    private final Backend inner;
    private final MaskOps masks;
    private final OptimizerOps optimizers;
    private final DenseOps dense;
    private final NnOps nn;
    private final Optional<SparseGemmOps> sparseGemm;
    private List<Runnable> recording;  // non-null while a body is being captured
    private long recordedOps;
    private long replays;
    private final java.util.Map<String, Long> issued = new java.util.concurrent.ConcurrentHashMap<>();

    public RecordingGraphs(Backend inner) {
        this.inner = inner;
        this.masks = recorded(MaskOps.class, inner.masks());
        this.optimizers = recorded(OptimizerOps.class, inner.optimizers());
        this.dense = recorded(DenseOps.class, inner.dense());
        this.nn = recorded(NnOps.class, inner.nn());
        this.sparseGemm = inner.sparseGemm().map(s -> recorded(SparseGemmOps.class, s));
    }

    /** Ops recorded by every capture so far. */
    public long recordedOps() {
        return recordedOps;
    }

    /** How often an op ("SparseGemmPlan.compress", "DenseOps.gemmBf16", ...) was issued, run or recorded. */
    public long issued(String op) {
        return issued.getOrDefault(op, 0L);
    }

    /** Graph launches so far. */
    public long replays() {
        return replays;
    }

    public boolean capturing() {
        return recording != null;
    }

    private <T> T recorded(Class<T> type, T target) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            if (!QUERIES.contains(m.getName())) issued.merge(type.getSimpleName() + "." + m.getName(), 1L, Long::sum);
            if (recording == null || QUERIES.contains(m.getName())) {
                Object out = invoke(m, target, args);
                // a plan's compress/run must be recorded too when they are issued inside a capture
                return out instanceof SparseGemmPlan p ? recorded(SparseGemmPlan.class, p) : out;
            }
            if (m.getReturnType() != void.class || m.getName().equals("close") || m.getName().equals("create")) {
                throw refused(type.getSimpleName() + "." + m.getName(), m.getReturnType() != void.class
                        ? "it returns a value to the host, which would need a synchronization"
                        : "it frees or makes a native object");
            }
            Object[] frozen = args == null ? null : args.clone();  // the arguments of this moment, as kernel parameters
            recording.add(() -> invoke(m, target, frozen));
            recordedOps++;
            return null;
        });
        return type.cast(proxy);
    }

    private static Object invoke(Method m, Object target, Object[] args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private IllegalStateException refused(String call, String why) {
        return new IllegalStateException(call + " inside a captured step: " + why + "; a CUDA Graph capture would fail here");
    }

    private void hostOnly(String call, String why) {
        if (recording != null) throw refused(call, why);
    }

    private void deviceOp(Runnable op) {
        if (recording == null) {
            op.run();
        } else {
            recording.add(op);
            recordedOps++;
        }
    }

    @Override
    public Optional<StepGraphs> stepGraphs() {
        return Optional.of(body -> {
            if (recording != null) throw refused("capture", "a capture is already open");
            List<Runnable> ops = new ArrayList<>();
            recording = ops;
            try {
                body.run();
            } finally {
                recording = null;
            }
            return new StepGraphs.Captured() {
                private boolean closed;

                @Override
                public void launch() {
                    if (closed) throw new IllegalStateException("graph launched after close");
                    hostOnly("graph launch", "a launch cannot be captured by this double");
                    replays++;
                    for (Runnable op : ops) op.run();
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        });
    }

    @Override
    public String name() {
        return inner.name() + "+recorded-graphs";
    }

    @Override
    public Device device() {
        return inner.device();
    }

    @Override
    public Tensor zeros(String name, DType dtype, long... shape) {
        hostOnly("zeros('" + name + "')", "it allocates");
        return inner.zeros(name, dtype, shape);
    }

    @Override
    public void copyFromHost(float[] src, Tensor dst) {
        hostOnly("copyFromHost(" + dst.name() + ")", "it copies from the host");
        inner.copyFromHost(src, dst);
    }

    @Override
    public void copyFromHost(byte[] src, Tensor dst) {
        hostOnly("copyFromHost(" + dst.name() + ")", "it copies from the host");
        inner.copyFromHost(src, dst);
    }

    @Override
    public void copyFromHost(int[] src, Tensor dst) {
        hostOnly("copyFromHost(" + dst.name() + ")", "it copies from the host");
        inner.copyFromHost(src, dst);
    }

    @Override
    public float[] copyToHostFloats(Tensor src) {
        hostOnly("copyToHostFloats(" + src.name() + ")", "it copies to the host");
        return inner.copyToHostFloats(src);
    }

    @Override
    public byte[] copyToHostBytes(Tensor src) {
        hostOnly("copyToHostBytes(" + src.name() + ")", "it copies to the host");
        return inner.copyToHostBytes(src);
    }

    @Override
    public short[] copyToHostBf16(Tensor src) {
        hostOnly("copyToHostBf16(" + src.name() + ")", "it copies to the host");
        return inner.copyToHostBf16(src);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        deviceOp(() -> inner.copy(src, dst));
    }

    @Override
    public void cast(Tensor src, Tensor dst) {
        deviceOp(() -> inner.cast(src, dst));
    }

    @Override
    public void cast(Tensor src, Tensor dst, long n) {
        deviceOp(() -> inner.cast(src, dst, n));
    }

    @Override
    public MaskOps masks() {
        return masks;
    }

    @Override
    public OptimizerOps optimizers() {
        return optimizers;
    }

    @Override
    public DenseOps dense() {
        return dense;
    }

    @Override
    public NnOps nn() {
        return nn;
    }

    @Override
    public Optional<SparseGemmOps> sparseGemm() {
        return sparseGemm;
    }

    @Override
    public void synchronize() {
        hostOnly("synchronize", "it waits for the stream");
        inner.synchronize();
    }

    @Override
    public void close() {
        hostOnly("close", "it frees the backend");
        inner.close();
    }
}

package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.io.Json;
import io.sparseretrain.core.ops.SparseGemmOp;
import io.sparseretrain.core.ops.SparseGemmOps;
import io.sparseretrain.core.ops.SparseGemmPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel choice of one model: the 2:4 mode (the backend's sparse GEMM, every layer's
 * {@link Sparse24Gemm} with its plans and bf16 buffers, the per-shape choices) and/or the bf16 compute
 * mode of the dense GEMMs (every layer's {@link Bf16Gemm}). Owned by the {@link Model} and closed with it (plans
 * before the backend's context). Counts plan creations and compressions so tests can prove that a
 * step creates nothing after the first and compresses once per op.
 */
public final class Sparse24Runtime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Sparse24Runtime.class.getName());

    private final Backend backend;
    private final SparseGemmOps ops;
    private final KernelMode mode;
    private final Precision precision;
    private final boolean transposable;
    private final List<Sparse24Gemm> layers = new ArrayList<>();
    private final List<Bf16Gemm> bf16Layers = new ArrayList<>();
    private final Map<String, Boolean> autoChoice = new HashMap<>();
    private final Map<String, String> fallbacks = new LinkedHashMap<>();
    private final Set<String> logged = new LinkedHashSet<>();
    private final Map<String, String> keptDense = new HashMap<>();
    private long plansCreated;
    private long compressions;
    private boolean closed;
    private boolean capturing;

    /**
     * @param transposable the masks are transposable 2:4 (recipe granularity transposable24), so the
     *                     input gradient runs sparse too; plain N:M 2:4 masks keep dX dense
     */
    Sparse24Runtime(Backend backend, KernelMode mode, Precision precision, boolean transposable) {
        if (mode == KernelMode.DENSE && precision == Precision.FP32) {
            throw new IllegalArgumentException("kernels 'dense' in fp32 need no runtime");
        }
        if (mode != KernelMode.DENSE && precision == Precision.FP32) {
            throw new IllegalArgumentException("kernels '" + mode.word() + "' with precision fp32 is refused: the 2:4 sparse GEMM runs "
                    + "in bf16 (cuSPARSELt's 50% sparsity for float32 is 1:2, not the 2:4 our masks produce); use precision bf16");
        }
        this.backend = backend;
        this.mode = mode;
        this.precision = precision;
        this.transposable = transposable;
        this.ops = backend.sparseGemm().orElse(null);
    }

    public KernelMode mode() {
        return mode;
    }

    public Precision precision() {
        return precision;
    }

    public boolean transposable() {
        return transposable;
    }

    Backend backend() {
        return backend;
    }

    /** Empty where the backend has no sparse GEMM (then every layer stays dense, said once). */
    Optional<SparseGemmOps> ops() {
        if (ops == null) note("backend", "backend '" + backend.name() + "' has no 2:4 sparse GEMM: every layer runs dense");
        return Optional.ofNullable(ops);
    }

    /** A layer's 2:4 path for W viewed as [n, cin, kk] (k = cin·kk; Linear: kk = 1). */
    Sparse24Gemm attach(String layer, Parameter weight, int n, int cin, int kk) {
        Sparse24Gemm g = new Sparse24Gemm(this, layer, weight, n, cin, kk);
        layers.add(g);
        return g;
    }

    /** A layer's bf16 dense GEMMs for W [n, k] (in im2col column order for Conv). */
    Bf16Gemm attachBf16(String layer, Parameter weight, long n, long k) {
        Bf16Gemm g = new Bf16Gemm(backend, layer, weight, n, k);
        bf16Layers.add(g);
        return g;
    }

    SparseGemmPlan createPlan(long m, long n, long k, SparseGemmOp op) {
        SparseGemmPlan p = ops.create(DType.BF16, m, n, k, op);
        plansCreated++;
        return p;
    }

    /**
     * Set while a step is being captured into a CUDA Graph: a plan, its pattern check or an AUTO timing
     * then cannot happen (they allocate and synchronize), so a shape first seen inside a capture is an
     * error naming it rather than a broken graph. {@link Model#prepareKernels} decides shapes up front.
     */
    public void capturing(boolean on) {
        capturing = on;
    }

    void requireNotCapturing(String layer, SparseGemmOp op, long rows) {
        if (capturing) {
            throw new IllegalStateException("layer '" + layer + "': " + op + " for " + rows + " GEMM rows was first needed inside a "
                    + "captured step, where no plan can be made; prepare the kernels for this batch size first (Model.prepareKernels)");
        }
    }

    void countCompression() {
        compressions++;
    }

    /**
     * The layer whose weight is {@code weightName} runs dense whatever its shape, for {@code reason}
     * (e.g. the pruning spec keeps it dense, so its weights are not 2:4). Call before the layer's first
     * product or {@link Model#prepareKernels}; the reason appears in {@link #fallbacks()}.
     */
    public void keepDense(String weightName, String reason) {
        keptDense.put(weightName, reason);
    }

    /** Why this weight's layer must stay dense, or null. */
    String keptDenseReason(String weightName) {
        return keptDense.get(weightName);
    }

    /** Cached AUTO decision for a shape, or null when not measured yet. */
    Boolean autoChoice(String shapeKey) {
        return autoChoice.get(shapeKey);
    }

    void recordAutoChoice(String shapeKey, boolean sparse) {
        autoChoice.put(shapeKey, sparse);
    }

    /** Logs a fallback or choice once per distinct (where, message) and keeps it for reports. */
    void note(String where, String message) {
        if (!logged.add(where + ": " + message)) return;
        fallbacks.putIfAbsent(where, message);
        LOG.log(System.Logger.Level.INFO, "2:4 kernels: " + where + ": " + message);
    }

    /** After every optimizer step (and any other change of the weights): casts W to bf16 for each layer. */
    public void weightsChanged() {
        for (Sparse24Gemm g : layers) g.weightsChanged();
        for (Bf16Gemm g : bf16Layers) g.weightsChanged();
    }

    /** Plans made so far (one per layer, op and batch-row count; never inside a step after the first). */
    public long plansCreated() {
        return plansCreated;
    }

    /** Weight compressions so far (at most one per layer and op per step). */
    public long compressions() {
        return compressions;
    }

    /** Where a layer (or shape) runs dense and why, in the order first seen: "fc3" → reason. */
    public Map<String, String> fallbacks() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fallbacks));
    }

    /**
     * What ran where, as JSON (written beside a cell's results): mode, precision, masks, plan and
     * compression counts, one line per layer (which ops run sparse for which GEMM rows) and every dense
     * fallback with its reason.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"kernels\":").append(Json.quote(mode.word()))
                .append(",\"precision\":").append(Json.quote(precision.name().toLowerCase(Locale.ROOT)))
                .append(",\"transposable\":").append(transposable).append(",\"plans\":").append(plansCreated)
                .append(",\"compressions\":").append(compressions).append(",\"layers\":[");
        List<String> lines = describe();
        for (int i = 0; i < lines.size(); i++) sb.append(i == 0 ? "" : ",").append(Json.quote(lines.get(i)));
        sb.append("],\"dense\":{");
        int i = 0;
        for (Map.Entry<String, String> e : fallbacks.entrySet()) {
            sb.append(i++ == 0 ? "" : ",").append(Json.quote(e.getKey())).append(':')
                    .append(Json.quote(e.getValue()));
        }
        return sb.append("}}\n").toString();
    }

    /** One line per layer: which op runs sparse, for which batch rows. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Sparse24Gemm g : layers) out.add(g.describe());
        return out;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Sparse24Gemm g : layers) g.close();
        layers.clear();
        for (Bf16Gemm g : bf16Layers) g.close();
        bf16Layers.clear();
    }

    static String shapeKey(SparseGemmOp op, long m, long n, long k) {
        return op + Arrays.toString(new long[] {m, n, k});
    }
}

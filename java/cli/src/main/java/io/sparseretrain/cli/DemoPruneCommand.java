package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Shapes;
import io.sparseretrain.core.SparseRetrainException;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.SelectReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparseretrain demo-prune}: global magnitude pruning of a large random model at increasing
 * sparsities, IMP-style (each round prunes the survivors of the previous one; masks only shrink).
 */
@Command(name = "demo-prune", mixinStandardHelpOptions = true,
        description = "Global magnitude pruning of a random model: per-layer sparsity, exact kept counts, threshold, time.")
final class DemoPruneCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "cpu, cuda or cuda:N (default: -Dsparseretrain.backend, then the best available)")
    String backendName;

    @Option(names = "--params", description = "weights in the VGG-like model (default: ${DEFAULT-VALUE})", defaultValue = "20000000")
    long params;

    @Option(names = "--layers", split = ",", description = "layer shapes instead of --params, e.g. 784x300,300x100,100x10")
    List<String> layers;

    @Option(names = "--sparsity", split = ",", description = "increasing target sparsities (default: ${DEFAULT-VALUE})",
            defaultValue = "0.5,0.9,0.95,0.98")
    List<Double> sparsities;

    @Option(names = "--seed", description = "seed of the random weights (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        checkSparsities();
        Map<String, long[]> shapes = layers != null ? LayerShapes.parse(layers) : LayerShapes.vggLike(params);
        long total = LayerShapes.total(shapes);
        try (Backend backend = backendName == null ? Backends.createDefault() : Backends.create(backendName)) {
            out.printf("backend %s, %d layers, %,d weights, seed %d%n", backend.name(), shapes.size(), total, seed);
            List<String> names = LayerShapes.names(shapes);
            List<Tensor> weights = new ArrayList<>(), masks = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                long[] shape = shapes.get(names.get(i));
                weights.add(backend.fromFloats(names.get(i), randomWeights(shape, seed + i), shape));
                masks.add(backend.fromBytes(names.get(i).replace(".weight", ".mask"), ones(shape), shape));
            }
            for (double s : sparsities) pruneRound(backend, out, names, shapes, weights, masks, total, s);
            checkNM(backend, out, names, shapes, weights);
        }
    }

    private void pruneRound(Backend backend, PrintWriter out, List<String> names, Map<String, long[]> shapes,
                            List<Tensor> weights, List<Tensor> masks, long total, double sparsity) {
        long keep = Math.round(total * (1 - sparsity));
        long t0 = System.nanoTime();
        SelectReport r = backend.masks().pruneMagnitudeGlobal(weights, masks, keep);
        backend.synchronize();
        double ms = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < weights.size(); i++) backend.masks().apply(weights.get(i), masks.get(i));
        long[] kept = backend.masks().countNonzero(masks);
        long sum = 0;
        for (long k : kept) sum += k;
        out.printf("%nsparsity %.4f: kept %,d of %,d (target %,d, %s), threshold |w| = %.6g, ties kept %d, selection %.1f ms%n",
                sparsity, sum, total, keep, sum == keep ? "exact" : "MISMATCH", r.thresholdMagnitude(), r.keptTies(), ms);
        out.printf("  %-14s %-20s %14s %14s %9s%n", "layer", "shape", "weights", "kept", "sparsity");
        for (int i = 0; i < names.size(); i++) {
            long n = Shapes.numel(shapes.get(names.get(i)));
            out.printf("  %-14s %-20s %,14d %,14d %8.2f%%%n", names.get(i), Shapes.format(shapes.get(names.get(i))), n,
                    kept[i], 100.0 * (n - kept[i]) / n);
        }
        if (sum != keep) throw new SparseRetrainException("kept " + sum + " weights but the target was " + keep);
    }

    /** 2:4 along K on the largest Linear layer (fresh mask), then the check of its masked weight. */
    private void checkNM(Backend backend, PrintWriter out, List<String> names, Map<String, long[]> shapes, List<Tensor> weights) {
        int best = -1;
        for (int i = 0; i < names.size(); i++) {
            long[] s = shapes.get(names.get(i));
            if (s.length == 2 && s[1] % 4 == 0 && (best < 0 || Shapes.numel(s) > Shapes.numel(shapes.get(names.get(best))))) best = i;
        }
        if (best < 0) {
            out.println("\n2:4 check skipped: no Linear layer with K divisible by 4");
            return;
        }
        long[] s = shapes.get(names.get(best));
        try (Tensor w = backend.zeros(names.get(best) + ".dense", DType.F32, s);
             Tensor m = backend.fromBytes(names.get(best) + ".mask24", ones(s), s)) {
            backend.copyFromHost(randomWeights(s, seed + best), w);
            backend.masks().maskNM(w, m, 2, 4);
            backend.masks().apply(w, m);
            long violations = backend.masks().countNMViolations(w, 2, 4);
            long kept = backend.masks().countNonzero(m);
            out.printf("%n2:4 on %s %s: kept %,d of %,d (%.1f%%), groups violating 2:4: %d%n", names.get(best),
                    Shapes.format(s), kept, Shapes.numel(s), 100.0 * kept / Shapes.numel(s), violations);
        }
    }

    private void checkSparsities() {
        double prev = 0;
        for (double s : sparsities) {
            if (!(s >= 0 && s < 1)) throw new IllegalArgumentException("--sparsity " + s + " is not in [0, 1)");
            if (s < prev) throw new IllegalArgumentException("--sparsity must be increasing (masks only shrink): " + s + " after " + prev);
            prev = s;
        }
    }

    /** Uniform(-1, 1)/sqrt(fan_in), as Kaiming-uniform initialisation scales layers differently. */
    private static float[] randomWeights(long[] shape, long seed) {
        long n = Shapes.numel(shape);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("layer " + Shapes.format(shape) + " is too large for the demo");
        long fanIn = n / shape[0];
        float scale = (float) (1 / Math.sqrt(fanIn));
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[(int) n];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextDouble() * 2 - 1) * scale;
        return w;
    }

    private static byte[] ones(long[] shape) {
        byte[] m = new byte[(int) Shapes.numel(shape)];
        java.util.Arrays.fill(m, (byte) 1);
        return m;
    }
}

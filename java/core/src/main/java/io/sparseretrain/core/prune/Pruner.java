package io.sparseretrain.core.prune;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes new masks for a target and applies them (weights become physically zero where masked).
 * Masks only shrink: entries pruned before are never revived. Unstructured targets are exact:
 * global scope keeps round(N·(1−s)) of the N prunable weights; layer-wise keeps each layer's
 * allocation; N:M keeps exactly N of every M (of the live entries); transposable 2:4 keeps 2 per row
 * and column of every 4×4 block. Knows nothing of training or schedules.
 */
public final class Pruner {
    private final PruneSpec spec;

    public Pruner(PruneSpec spec) {
        this.spec = spec;
    }

    public PruneSpec spec() {
        return spec;
    }

    /** The parameters this spec prunes, in model order. */
    public List<Parameter> prunable(Model model) {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : model.prunableParameters()) {
            if (spec.prunable().isEmpty() || spec.prunable().contains(p.name())) ps.add(p);
        }
        for (String name : spec.prunable()) model.parameter(name);  // unknown names fail with the model's message
        for (String name : spec.dense()) model.parameter(name);
        for (String name : spec.caps().keySet()) model.parameter(name);
        if (ps.isEmpty()) throw new IllegalArgumentException("model '" + model.name() + "' has no parameter to prune");
        return ps;
    }

    /**
     * Checks this spec against the model before any work (a run would otherwise fail only when it
     * prunes, after pretraining): the names it lists exist, and for N:M / transposable 2:4 every weight
     * it will pattern has a reduction dimension K (Linear: in features; Conv: input channels, the
     * groups run along Cin at each kernel position) divisible by M — and, transposable, out features
     * divisible by 4. The error names the parameter, its shape and the two ways out.
     */
    public void validate(Model model) {
        prunable(model);  // names exist, something to prune
        if (!spec.isPatterned()) return;
        boolean transposable = spec.granularity() == PruneSpec.Granularity.TRANSPOSABLE_24;
        int m = transposable ? 4 : spec.m();
        for (Parameter p : patterned(model)) {
            long[] s = p.value().shape();
            long out = s[0], k = s.length > 1 ? s[1] : 1;
            String what = s.length > 2 ? "input channels" : "input features";
            String bad = k % m != 0 ? what + " K = " + k + " is not a multiple of " + m
                    : transposable && out % 4 != 0 ? "output rows " + out + " are not a multiple of 4 (transposable blocks are 4x4)" : null;
            if (bad != null) {
                String pattern = transposable ? "transposable 2:4" : spec.n() + ":" + spec.m();
                throw new IllegalArgumentException("pruning: granularity " + pattern + " cannot pattern parameter '" + p.name() + "' "
                        + java.util.Arrays.toString(s) + ": its " + bad + "; keep it dense (recipe: pruning.dense: [" + p.name()
                        + "]; prune command: --dense " + p.name() + ") or leave it out of pruning.prunable");
            }
        }
    }

    /** N:M / transposable 2:4: the weights that get the pattern (prunable, not kept dense), in model order. */
    public List<Parameter> patterned(Model model) {
        if (!spec.isPatterned()) return List.of();
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : prunable(model)) if (!spec.dense().contains(p.name())) out.add(p);
        return out;
    }

    /**
     * Prunes to {@code target} sparsity over the prunable set (unstructured) or to the pattern (N:M,
     * transposable). {@code seed} keys random pruning.
     */
    public PruneReport prune(Model model, double target, long seed) {
        if (!(target >= 0 && target < 1)) throw new IllegalArgumentException("target sparsity " + target + " is not in [0, 1)");
        return pruneKeeping(model, 1 - target, seed);
    }

    /**
     * Prunes so that round(N·keptFraction) of the N prunable weights stay (unstructured); IMP passes
     * (1−s)^(c/J) directly so that the count after cycle c is exactly round(N·(1−s)^(c/J)).
     */
    public PruneReport pruneKeeping(Model model, double keptFraction, long seed) {
        if (!(keptFraction > 0 && keptFraction <= 1)) throw new IllegalArgumentException("kept fraction " + keptFraction + " is not in (0, 1]");
        if (spec.granularity() == PruneSpec.Granularity.STRUCTURED) {
            throw new IllegalArgumentException("granularity STRUCTURED changes the model's shapes; masks cannot express it: use StructuredPruner");
        }
        double target = 1 - keptFraction;
        Backend b = model.backend();
        List<Parameter> ps = prunable(model);
        List<Tensor> weights = new ArrayList<>(), masks = new ArrayList<>();
        long total = 0;
        for (Parameter p : ps) {
            weights.add(p.value());
            masks.add(p.ensureMask(b));
            total += p.numel();
        }
        long keptBefore = sum(b.masks().countNonzero(masks));
        double sqAllBefore = sumSquares(b, model.parameters());
        double sqPrunableBefore = sumSquares(b, ps);
        switch (spec.granularity()) {
            case UNSTRUCTURED -> pruneUnstructured(model, ps, weights, masks, total, keptBefore, keptFraction, seed);
            case NM -> {
                for (Parameter p : ps) if (!spec.dense().contains(p.name())) b.masks().maskNM(p.value(), p.mask(), spec.n(), spec.m());
            }
            case TRANSPOSABLE_24 -> {
                for (Parameter p : ps) if (!spec.dense().contains(p.name())) b.masks().maskTransposable24(p.value(), p.mask());
            }
            case STRUCTURED -> throw new IllegalStateException("unreachable");
        }
        for (Parameter p : ps) b.masks().apply(p.value(), p.mask());
        long[] kept = b.masks().countNonzero(masks);
        List<LayerStat> stats = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) stats.add(new LayerStat(ps.get(i).name(), ps.get(i).numel(), kept[i]));
        long keptAfter = sum(kept);
        double sqAllAfter = sumSquares(b, model.parameters());
        double sqPrunableAfter = sumSquares(b, ps);
        // θ_p = θ ⊙ m, so ‖θ − θ_p‖² = ‖θ‖² − ‖θ_p‖² exactly (the removed entries), up to rounding.
        double fraction = keptBefore == 0 ? 0 : (double) (keptBefore - keptAfter) / keptBefore;
        return new PruneReport(target, total, keptBefore, keptAfter, stats, Math.sqrt(sqAllBefore),
                Math.sqrt(Math.max(0, sqAllBefore - sqAllAfter)), Math.sqrt(sqPrunableBefore),
                Math.sqrt(Math.max(0, sqPrunableBefore - sqPrunableAfter)), fraction);
    }

    private void pruneUnstructured(Model model, List<Parameter> ps, List<Tensor> weights, List<Tensor> masks, long total,
                                   long keptBefore, double keptFraction, long seed) {
        Backend b = model.backend();
        double target = 1 - keptFraction;
        long goal = Math.round(total * keptFraction);
        if (goal > keptBefore) {
            throw new IllegalArgumentException("target sparsity " + target + " keeps " + goal + " weights but only " + keptBefore
                    + " are live: masks only shrink");
        }
        if (spec.scope() == PruneSpec.Scope.GLOBAL) {
            pruneGlobal(b, ps, weights, masks, goal, seed);
            return;
        }
        long[][] shapes = new long[ps.size()][];
        boolean[] dense = new boolean[ps.size()];
        double[] caps = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            shapes[i] = p.value().shape();
            dense[i] = spec.dense().contains(p.name()) || (spec.allocation() == PruneSpec.Allocation.UNIFORM_PLUS && i == 0);
            caps[i] = spec.caps().getOrDefault(p.name(),
                    spec.allocation() == PruneSpec.Allocation.UNIFORM_PLUS && i == ps.size() - 1 ? 0.8 : 1.0);
        }
        long[] keep = Allocations.keepCounts(spec.allocation(), shapes, dense, caps, target);
        long[] live = b.masks().countNonzero(masks);
        for (int i = 0; i < keep.length; i++) keep[i] = Math.min(keep[i], live[i]);  // masks only shrink
        if (spec.criterion() == PruneSpec.Criterion.MAGNITUDE) b.masks().pruneMagnitudeLayerwise(weights, masks, keep);
        else b.masks().pruneRandomLayerwise(masks, keep, seed);
    }

    /**
     * Global selection with overrides: dense layers are left out; a layer that the global ranking
     * would prune beyond its cap is fixed at the cap (pruned within itself) and the ranking is redone
     * over the others with the remaining budget, until no cap is violated.
     */
    private void pruneGlobal(Backend b, List<Parameter> ps, List<Tensor> weights, List<Tensor> masks, long goal, long seed) {
        int L = ps.size();
        long[] live = b.masks().countNonzero(masks);
        byte[][] saved = new byte[L][];
        for (int i = 0; i < L; i++) saved[i] = b.copyToHostBytes(masks.get(i));
        boolean[] fixed = new boolean[L];
        long[] fixedKeep = new long[L];
        for (int i = 0; i < L; i++) {
            if (spec.dense().contains(ps.get(i).name())) {
                fixed[i] = true;
                fixedKeep[i] = live[i];
            }
        }
        for (int round = 0; round <= L; round++) {
            List<Tensor> ws = new ArrayList<>(), ms = new ArrayList<>();
            long budget = goal;
            for (int i = 0; i < L; i++) {
                if (fixed[i]) budget -= fixedKeep[i];
                else {
                    ws.add(weights.get(i));
                    ms.add(masks.get(i));
                }
            }
            if (budget < 0) throw new IllegalArgumentException("the dense and capped layers alone keep more than the target allows");
            if (!ms.isEmpty()) {
                if (spec.criterion() == PruneSpec.Criterion.MAGNITUDE) b.masks().pruneMagnitudeGlobal(ws, ms, budget);
                else b.masks().pruneRandomGlobal(ms, budget, seed);
            }
            boolean violated = false;
            long[] kept = b.masks().countNonzero(masks);
            for (int i = 0; i < L; i++) {
                Double cap = spec.caps().get(ps.get(i).name());
                if (fixed[i] || cap == null) continue;
                long minKeep = Math.min(live[i], (long) Math.ceil(ps.get(i).numel() * (1 - cap)));
                if (kept[i] < minKeep) {
                    fixed[i] = true;
                    fixedKeep[i] = minKeep;
                    violated = true;
                }
            }
            if (!violated) break;
            for (int i = 0; i < L; i++) b.copyFromHost(saved[i], masks.get(i));  // undo, then redo with the caps fixed
        }
        List<Tensor> fw = new ArrayList<>(), fm = new ArrayList<>();
        List<Long> fk = new ArrayList<>();
        for (int i = 0; i < L; i++) {
            if (fixed[i] && !spec.dense().contains(ps.get(i).name())) {
                fw.add(weights.get(i));
                fm.add(masks.get(i));
                fk.add(fixedKeep[i]);
            }
        }
        if (!fm.isEmpty()) {
            long[] k = fk.stream().mapToLong(Long::longValue).toArray();
            if (spec.criterion() == PruneSpec.Criterion.MAGNITUDE) b.masks().pruneMagnitudeLayerwise(fw, fm, k);
            else b.masks().pruneRandomLayerwise(fm, k, seed);
        }
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) s += x;
        return s;
    }

    private static double sumSquares(Backend b, List<Parameter> ps) {
        double s = 0;
        for (Parameter p : ps) s += b.nn().sumSquares(p.value());
        return s;
    }
}

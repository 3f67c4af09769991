package io.sparseretrain.core.experiment;

import io.sparseretrain.core.algo.CycleResult;
import io.sparseretrain.core.recipe.Recipe;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The run's Markdown report: a table shaped like the paper's (schedule × sparsity, one table per
 * retraining budget, test accuracy mean ± standard deviation over seeds), then every cycle.
 */
public final class Report {
    private Report() {}

    /** Mean ± sample standard deviation in percent, "n/a" for none. */
    public static String meanStd(List<Double> xs) {
        if (xs.isEmpty()) return "n/a";
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = 0;
        for (double x : xs) var += (x - mean) * (x - mean);
        double std = xs.size() > 1 ? Math.sqrt(var / (xs.size() - 1)) : 0;
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * std);
    }

    public static String table(List<CellResult> cells) {
        Set<Double> budgets = new LinkedHashSet<>(), sparsities = new LinkedHashSet<>();
        Set<String> schedules = new LinkedHashSet<>();
        for (CellResult c : cells) {
            budgets.add(c.retrainEpochs());
            sparsities.add(c.sparsity());
            schedules.add(c.schedule());
        }
        StringBuilder sb = new StringBuilder();
        for (double e : budgets) {
            sb.append(String.format(Locale.ROOT, "%nRetraining budget %.2f epoch(s) per cycle — test accuracy %% (mean ± std over seeds)%n%n", e));
            sb.append("| schedule |");
            for (double s : sparsities) sb.append(String.format(Locale.ROOT, " %.1f %% sparse |", 100 * s));
            sb.append("\n|---|");
            sb.append("---|".repeat(sparsities.size())).append('\n');
            for (String sched : schedules) {
                sb.append("| ").append(sched.toUpperCase(Locale.ROOT)).append(" |");
                for (double s : sparsities) {
                    List<Double> acc = new ArrayList<>();
                    for (CellResult c : cells) {
                        if (c.schedule().equals(sched) && c.sparsity() == s && c.retrainEpochs() == e) acc.add(c.finalAccuracy());
                    }
                    sb.append(' ').append(meanStd(acc)).append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    public static String markdown(Recipe r, List<CellResult> cells) {
        StringBuilder sb = new StringBuilder("# ").append(r.name()).append("\n\n");
        sb.append("- recipe: `").append(r.source()).append("`, model `").append(r.model().getFileName()).append("`, algorithm ")
                .append(r.algorithm().kind()).append(", pruning ").append(pruningText(r)).append(", seeds ").append(r.seeds()).append('\n');
        List<Double> dense = cells.stream().map(CellResult::denseAccuracy).filter(Double::isFinite).distinct().toList();
        if (!dense.isEmpty()) sb.append("- dense (pretrained) test accuracy: ").append(meanStd(dense)).append(" %\n");
        sb.append(table(cells));
        if (cells.stream().anyMatch(c -> c.structured() != null)) sb.append(structuredTable(cells));
        sb.append("\n## Every cycle\n\n| seed | schedule | target | cycle | sparsity | acc. after prune | acc. after retrain | loss | ALLR d1 / d2 / η1 | time (s) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (CellResult c : cells) {
            for (CycleResult cy : c.cycles()) {
                sb.append(String.format(Locale.ROOT, "| %d | %s | %.4f / %.2f ep | %d | %.4f | %s | %s | %s | %s | %.1f |%n", c.seed(), c.schedule(),
                        c.sparsity(), c.retrainEpochs(), cy.cycle(), cy.sparsity(), pct(cy.accuracyAfterPrune()), pct(cy.accuracyAfterRetrain()),
                        Double.isFinite(cy.lossAfterRetrain()) ? String.format(Locale.ROOT, "%.4f", cy.lossAfterRetrain()) : "",
                        cy.allr() == null ? "" : String.format(Locale.ROOT, "%.3f / %.3f / %.4g", cy.allr().d1(), cy.allr().d2(), cy.allr().eta1()),
                        cy.seconds()));
            }
        }
        return sb.toString();
    }

    private static String pruningText(Recipe r) {
        if (!r.isStructured()) return r.pruning().criterion() + " " + r.pruning().scope() + " " + r.pruning().granularity();
        var s = r.structured().spec();
        return "STRUCTURED (neurons/filters by " + s.norm() + " norm, " + s.scope() + (s.layers().isEmpty() ? "" : ", layers " + s.layers())
                + (s.fractions().isEmpty() ? "" : ", fractions " + s.fractions()) + "; compacted)";
    }

    /** Structured cells: widths, parameters, multiply-adds (theoretical speedup) beside the measured CPU inference speedup. */
    public static String structuredTable(List<CellResult> cells) {
        StringBuilder sb = new StringBuilder("\n## Structured pruning: compacted model\n\n");
        sb.append("Measured: eval-mode forward of the dense and the compacted model on the same seeded inputs, median of interleaved runs "
                + "(`InferenceTimer`), on this run's backend.\n\n");
        sb.append("| seed | schedule | target | acc. after prune | acc. after retrain | widths (kept/dense) | parameters | MACs/example "
                + "| theoretical speedup | measured ms dense → compacted | measured speedup |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CellResult c : cells) {
            StructuredSummary s = c.structured();
            if (s == null) continue;
            sb.append(String.format(Locale.ROOT, "| %d | %s | %.4f / %.2f ep | %s | %s | %s | %,d → %,d | %,d → %,d | %.2fx | %s | %s |%n", c.seed(),
                    c.schedule(), c.sparsity(), c.retrainEpochs(), pct(c.cycles().get(0).accuracyAfterPrune()), pct(c.finalAccuracy()),
                    s.widthsText(), s.paramsBefore(), s.paramsAfter(), s.macsBefore(), s.macsAfter(), s.theoreticalSpeedup(),
                    Double.isFinite(s.measuredSpeedup()) ? String.format(Locale.ROOT, "%.3f → %.3f (%d examples, batch %d, median of %d)",
                            s.msBefore(), s.msAfter(), s.timingExamples(), s.timingBatch(), s.timingRuns()) : "not measured",
                    Double.isFinite(s.measuredSpeedup()) ? String.format(Locale.ROOT, "%.2fx", s.measuredSpeedup()) : ""));
        }
        return sb.toString();
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f %%", 100 * v) : "";
    }
}

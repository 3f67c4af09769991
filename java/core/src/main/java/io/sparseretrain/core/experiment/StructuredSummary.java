package io.sparseretrain.core.experiment;

import io.sparseretrain.core.prune.structured.StructuredReport;
import java.util.List;

/**
 * What a structured cell ends with, beside its cycles: every Linear/Conv layer's width (kept of the
 * dense model's), parameters and dense multiply-adds per example of the dense and the compacted
 * model, and the measured CPU eval-forward time of both on the same inputs (NaN when not measured),
 * plus the final checkpoint and its model file (names inside the cell folder).
 */
public record StructuredSummary(List<StructuredReport.LayerWidth> widths, long paramsBefore, long paramsAfter, long macsBefore, long macsAfter,
                                double msBefore, double msAfter, int timingExamples, int timingBatch, int timingRuns, String checkpoint,
                                String modelSpec) {
    public StructuredSummary {
        widths = List.copyOf(widths);
    }

    /** Dense multiply-adds of the dense model over those of the compacted one. */
    public double theoreticalSpeedup() {
        return macsAfter == 0 ? Double.NaN : (double) macsBefore / macsAfter;
    }

    public double measuredSpeedup() {
        return msAfter > 0 ? msBefore / msAfter : Double.NaN;
    }

    /** "fc1 150/300, fc2 50/100, fc3 10/10". */
    public String widthsText() {
        StringBuilder sb = new StringBuilder();
        for (StructuredReport.LayerWidth w : widths) sb.append(sb.length() == 0 ? "" : ", ").append(w.name()).append(' ').append(w.kept()).append('/').append(w.total());
        return sb.toString();
    }
}

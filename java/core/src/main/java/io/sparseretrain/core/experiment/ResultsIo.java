package io.sparseretrain.core.experiment;

import io.sparseretrain.core.algo.CycleResult;
import io.sparseretrain.core.io.Json;
import io.sparseretrain.core.prune.structured.StructuredReport;
import io.sparseretrain.core.schedule.AllrFactors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Cell results as JSON (one file per cell, for resuming and for the report) and as CSV rows. */
public final class ResultsIo {
    private ResultsIo() {}

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    public static String toJson(CellResult c) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"seed\":").append(c.seed()).append(",\"schedule\":").append(Json.quote(c.schedule()))
                .append(",\"sparsity\":").append(num(c.sparsity())).append(",\"retrain_epochs\":").append(num(c.retrainEpochs()))
                .append(",\"dense_accuracy\":").append(num(c.denseAccuracy())).append(",\"seconds\":").append(num(c.seconds()))
                .append(",\"cycles\":[");
        for (int i = 0; i < c.cycles().size(); i++) {
            CycleResult r = c.cycles().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"cycle\":").append(r.cycle()).append(",\"target_sparsity\":").append(num(r.targetSparsity()))
                    .append(",\"sparsity\":").append(num(r.sparsity())).append(",\"kept\":").append(r.kept())
                    .append(",\"prunable\":").append(r.prunable()).append(",\"accuracy_after_prune\":").append(num(r.accuracyAfterPrune()))
                    .append(",\"loss_after_prune\":").append(num(r.lossAfterPrune())).append(",\"accuracy_after_retrain\":")
                    .append(num(r.accuracyAfterRetrain())).append(",\"loss_after_retrain\":").append(num(r.lossAfterRetrain()))
                    .append(",\"train_loss\":").append(num(r.trainLoss())).append(",\"retrain_steps\":").append(r.retrainSteps())
                    .append(",\"seconds\":").append(num(r.seconds()));
            if (r.allr() != null) {
                sb.append(",\"allr\":{\"d1\":").append(num(r.allr().d1())).append(",\"d2\":").append(num(r.allr().d2()))
                        .append(",\"eta1\":").append(num(r.allr().eta1())).append('}');
            }
            sb.append('}');
        }
        sb.append(']');
        if (c.structured() != null) sb.append(",\"structured\":").append(structuredJson(c.structured()));
        return sb.append('}').toString();
    }

    private static String structuredJson(StructuredSummary s) {
        StringBuilder sb = new StringBuilder("{\"widths\":[");
        for (int i = 0; i < s.widths().size(); i++) {
            StructuredReport.LayerWidth w = s.widths().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"layer\":").append(Json.quote(w.name())).append(",\"kept\":").append(w.kept())
                    .append(",\"total\":").append(w.total()).append('}');
        }
        return sb.append("],\"params_before\":").append(s.paramsBefore()).append(",\"params_after\":").append(s.paramsAfter())
                .append(",\"macs_before\":").append(s.macsBefore()).append(",\"macs_after\":").append(s.macsAfter())
                .append(",\"ms_before\":").append(num(s.msBefore())).append(",\"ms_after\":").append(num(s.msAfter()))
                .append(",\"timing_examples\":").append(s.timingExamples()).append(",\"timing_batch\":").append(s.timingBatch())
                .append(",\"timing_runs\":").append(s.timingRuns()).append(",\"checkpoint\":").append(Json.quote(s.checkpoint()))
                .append(",\"model_spec\":").append(Json.quote(s.modelSpec())).append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static StructuredSummary structuredFromJson(Map<String, Object> m) {
        List<StructuredReport.LayerWidth> widths = new ArrayList<>();
        for (Object o : (List<Object>) m.get("widths")) {
            Map<String, Object> w = (Map<String, Object>) o;
            widths.add(new StructuredReport.LayerWidth((String) w.get("layer"), ((Long) w.get("kept")).intValue(), ((Long) w.get("total")).intValue()));
        }
        return new StructuredSummary(widths, (Long) m.get("params_before"), (Long) m.get("params_after"), (Long) m.get("macs_before"),
                (Long) m.get("macs_after"), d(m.get("ms_before")), d(m.get("ms_after")), ((Long) m.get("timing_examples")).intValue(),
                ((Long) m.get("timing_batch")).intValue(), ((Long) m.get("timing_runs")).intValue(), (String) m.get("checkpoint"),
                (String) m.get("model_spec"));
    }

    @SuppressWarnings("unchecked")
    public static CellResult fromJson(String text) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(text);
        List<CycleResult> cycles = new ArrayList<>();
        for (Object o : (List<Object>) m.get("cycles")) {
            Map<String, Object> c = (Map<String, Object>) o;
            AllrFactors allr = null;
            if (c.get("allr") instanceof Map<?, ?> a) {
                allr = new AllrFactors(d(a.get("d1")), d(a.get("d2")), Double.NaN, d(a.get("eta1")));
            }
            cycles.add(new CycleResult(((Long) c.get("cycle")).intValue(), d(c.get("target_sparsity")), d(c.get("sparsity")), (Long) c.get("kept"),
                    (Long) c.get("prunable"), d(c.get("accuracy_after_prune")), d(c.get("loss_after_prune")), d(c.get("accuracy_after_retrain")),
                    d(c.get("loss_after_retrain")), d(c.get("train_loss")), (Long) c.get("retrain_steps"), new float[0], allr, d(c.get("seconds"))));
        }
        return new CellResult((Long) m.get("seed"), (String) m.get("schedule"), d(m.get("sparsity")), d(m.get("retrain_epochs")),
                d(m.get("dense_accuracy")), cycles, d(m.get("seconds")),
                m.get("structured") instanceof Map<?, ?> st ? structuredFromJson((Map<String, Object>) st) : null);
    }

    private static double d(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public static void writeLrCsv(Path file, float[] lr) throws IOException {
        StringBuilder sb = new StringBuilder("step,lr\n");
        for (int i = 0; i < lr.length; i++) sb.append(i).append(',').append(lr[i]).append('\n');
        Files.writeString(file, sb);
    }

    /** Every cycle of every cell as CSV. */
    public static String toCsv(List<CellResult> cells) {
        StringBuilder sb = new StringBuilder("seed,schedule,target_sparsity,retrain_epochs,cycle,sparsity,kept,prunable,dense_accuracy,"
                + "accuracy_after_prune,accuracy_after_retrain,loss_after_retrain,retrain_steps,allr_d1,allr_d2,allr_eta1,seconds,"
                + "structured_widths,macs_dense,macs_compacted,speedup_theoretical,speedup_measured\n");
        for (CellResult c : cells) {
            for (CycleResult r : c.cycles()) {
                sb.append(c.seed()).append(',').append(c.schedule()).append(',').append(num(c.sparsity())).append(',')
                        .append(num(c.retrainEpochs())).append(',').append(r.cycle()).append(',').append(num(r.sparsity())).append(',')
                        .append(r.kept()).append(',').append(r.prunable()).append(',').append(num(c.denseAccuracy())).append(',')
                        .append(num(r.accuracyAfterPrune())).append(',').append(num(r.accuracyAfterRetrain())).append(',')
                        .append(num(r.lossAfterRetrain())).append(',').append(r.retrainSteps()).append(',')
                        .append(r.allr() == null ? "" : num(r.allr().d1())).append(',').append(r.allr() == null ? "" : num(r.allr().d2()))
                        .append(',').append(r.allr() == null ? "" : num(r.allr().eta1())).append(',').append(num(r.seconds()));
                // A structured cell's widths and speedups describe its final, compacted model: on its last cycle's row only.
                StructuredSummary st = r == c.cycles().get(c.cycles().size() - 1) ? c.structured() : null;
                if (st == null) {
                    sb.append(",,,,,");
                } else {
                    sb.append(',').append(st.widthsText().replace(", ", ";")).append(',').append(st.macsBefore()).append(',')
                            .append(st.macsAfter()).append(',').append(num(st.theoreticalSpeedup())).append(',')
                            .append(Double.isNaN(st.measuredSpeedup()) ? "" : num(st.measuredSpeedup()));
                }
                sb.append('\n');
            }
        }
        return sb.toString().replace("null", "");
    }
}

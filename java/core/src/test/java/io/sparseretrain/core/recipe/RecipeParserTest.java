package io.sparseretrain.core.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.structured.InferenceTimer;
import io.sparseretrain.core.prune.structured.StructuredSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeParserTest {
    @TempDir
    Path dir;

    private Path write(String body) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), "name: m\ninput: [4]\nclasses: 2\nlayers: [{type: linear, name: fc, out: 2}]\n");
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, "name: t\nmodel: m.yaml\npretraining: {epochs: 2}\n" + body);
        return f;
    }

    private String error(String body) throws IOException {
        Path f = write(body);
        return assertThrows(RecipeException.class, () -> RecipeParser.load(f)).getMessage();
    }

    @Test
    void parsesAGridWithDefaults() throws IOException {
        Recipe r = RecipeParser.load(write("algorithm: {type: imp, cycles: 3, sparsities: [0.9, 0.98], retrain_epochs: [1, 2], "
                + "schedules: [ft, ALLR]}\nseeds: [0, 1]\n"));
        assertEquals(Recipe.Kind.IMP, r.algorithm().kind());
        assertEquals(List.of(0.9, 0.98), r.algorithm().sparsities());
        assertEquals(List.of("ft", "allr"), r.algorithm().schedules());
        assertEquals(PruneSpec.Scope.GLOBAL, r.pruning().scope());
        assertEquals(List.of(0L, 1L), r.seeds());
        assertEquals(128, r.data().batchSize());
    }

    @Test
    void unknownFieldsNameTheFieldAndTheAllowedOnes() throws IOException {
        String e = error("algorithm: {type: imp, cycles: 3, sparsities: [0.9], retrain_epochs: [1], scheduls: [ft]}\n");
        assertTrue(e.contains("unknown field 'scheduls'") && e.contains("schedules") && e.contains("r.yaml"), e);
        e = error("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\npruning: {granularity: blocky}\n");
        assertTrue(e.contains("'granularity'") && e.contains("blocky") && e.contains("transposable24"), e);
    }

    @Test
    void invalidCombinationsAreRejectedWithTheReason() throws IOException {
        assertTrue(error("algorithm: {type: imp, cycles: 3, retrain_epochs: [1]}\npruning: {granularity: nm}\n").contains("fixes the sparsity"));
        assertTrue(error("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [0]}\n").contains("0-step cycle"));
        assertTrue(error("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1], schedules: [xlr]}\n").contains("xlr"));
        assertTrue(error("algorithm: {type: bimp, sparsities: [0.9], cycles: 3, total_epochs: 4, dense_epochs: 2, schedules: [llr]}\n")
                .contains("BIMP retrains with ALLR"));
        assertTrue(error("algorithm: {type: imp, sparsities: [0.9], retrain_epochs: [1]}\n").contains("exactly one of 'cycles' or 'fixed_fraction'"));
        assertTrue(error("algorithm: {type: one-shot, sparsities: [1.5], retrain_epochs: [1]}\n").contains("sparsity 1.5"));
        assertTrue(error("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\npruning: {allocation: erk}\n")
                .contains("applies to scope 'layerwise'"));
    }

    private static final String ONE_SHOT = "algorithm: {type: one-shot, sparsities: [0.5], retrain_epochs: [1], schedules: [llr, allr]}\n";

    @Test
    void parsesStructuredPruningWithItsOptions() throws IOException {
        Recipe r = RecipeParser.load(write(ONE_SHOT + "pruning: {granularity: structured, norm: l1, layers: [fc1, fc2], fractions: {fc2: 0.25}, "
                + "timing: {examples: 64, batch: 32, warmup: 1, runs: 3}}\n"));
        assertTrue(r.isStructured());
        assertEquals(PruneSpec.Granularity.STRUCTURED, r.pruning().granularity());
        StructuredSpec s = r.structured().spec();
        assertEquals(StructuredSpec.Norm.L1, s.norm());
        assertEquals(StructuredSpec.Scope.LAYERWISE, s.scope(), "structured defaults to layer-wise scope");
        assertEquals(java.util.Set.of("fc1", "fc2"), s.layers());
        assertEquals(Map.of("fc2", 0.25), s.fractions());
        assertEquals(new InferenceTimer.Timing(64, 32, 1, 3), r.structured().timing());
        Recipe d = RecipeParser.load(write(ONE_SHOT + "pruning: {granularity: structured}\n"));
        assertEquals(StructuredSpec.Norm.L2, d.structured().spec().norm());
        assertEquals(InferenceTimer.Timing.DEFAULT, d.structured().timing());
        assertTrue(RecipeParser.load(write("algorithm: {type: imp, cycles: 2, sparsities: [0.5], retrain_epochs: [1]}\n"
                + "pruning: {granularity: structured}\n")).isStructured(), "IMP cycles compact further each cycle: allowed");
        assertTrue(!RecipeParser.load(write(ONE_SHOT)).isStructured());
    }

    @Test
    void structuredFieldsAreValidatedWithTheFieldAndTheAllowedValues() throws IOException {
        String e = error(ONE_SHOT + "pruning: {granularity: structured, norm: l3}\n");
        assertTrue(e.contains("field 'norm'") && e.contains("l3") && e.contains("[l1, l2]"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, fractions: {fc1: 1.5}}\n");
        assertTrue(e.contains("fractions") && e.contains("'fc1' = 1.5") && e.contains("[0, 1)"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, timing: {examples: -1}}\n");
        assertTrue(e.contains("pruning.timing") && e.contains("'examples'"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, timing: {example: 10}}\n");
        assertTrue(e.contains("unknown field 'example'") && e.contains("runs"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, layers: []}\n");
        assertTrue(e.contains("field 'layers' is empty"), e);
    }

    @Test
    void invalidStructuredCombinationsAreRejectedWithTheReason() throws IOException {
        String e = error(ONE_SHOT + "pruning: {granularity: structured, caps: {fc.weight: 0.5}}\n");
        assertTrue(e.contains("field 'caps' does not apply to granularity 'structured'"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, allocation: erk}\n");
        assertTrue(e.contains("field 'allocation' does not apply"), e);
        e = error(ONE_SHOT + "pruning: {granularity: unstructured, norm: l1}\n");
        assertTrue(e.contains("field 'norm' applies to granularity 'structured', not 'unstructured'"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, criterion: random}\n");
        assertTrue(e.contains("criterion 'random'") && e.contains("not implemented"), e);
        e = error(ONE_SHOT + "pruning: {granularity: structured, scope: global, fractions: {fc: 0.5}}\n");
        assertTrue(e.contains("need scope 'layerwise'"), e);
        e = error("algorithm: {type: gmp, sparsities: [0.5], cycles: 3, total_epochs: 4, dense_epochs: 1, interval_epochs: 1}\n"
                + "pruning: {granularity: structured}\n");
        assertTrue(e.contains("type 'gmp' with granularity 'structured' is invalid") && e.contains("prunes gradually with masks"), e);
        e = error("algorithm: {type: imp, cycles: 2, sparsities: [0.5], retrain_epochs: [1]}\npruning: {granularity: structured, scope: global}\n");
        assertTrue(e.contains("IMP cycles with global structured scope are invalid") && e.contains("fan-in"), e);
        e = error("algorithm: {type: lth, cycles: 2, sparsities: [0.5], rewind_epochs: 0.5}\npruning: {granularity: structured}\n");
        assertTrue(e.contains("type 'lth'") && e.contains("rewinding"), e);
    }

    @Test
    void theMainRecipeParses() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("models/recipes/main.yaml"))) root = root.getParent();
        Recipe r = RecipeParser.load(root.resolve("models/recipes/main.yaml"));
        assertEquals(6, r.algorithm().schedules().size());
        assertEquals(20, r.pretraining().epochs());
    }

    @Test
    void retrainingKernelsAreValidatedAgainstTheMasks() throws IOException {
        String one = "algorithm: {type: one-shot, retrain_epochs: [1]}\n";
        Recipe r = RecipeParser.load(write(one + "pruning: {granularity: transposable24}\nretraining: {kernels: sparse24}\n"));
        assertEquals(io.sparseretrain.core.nn.KernelMode.SPARSE24, r.retraining().kernels());
        assertTrue(r.retraining().transposable());
        r = RecipeParser.load(write(one + "pruning: {granularity: nm, n: 2, m: 4}\nretraining: {kernels: auto, precision: bf16}\n"));
        assertEquals(io.sparseretrain.core.nn.KernelMode.AUTO, r.retraining().kernels());
        assertTrue(!r.retraining().transposable());
        r = RecipeParser.load(write("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\n"));
        assertEquals(io.sparseretrain.core.nn.KernelMode.DENSE, r.retraining().kernels());

        String e = error("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\nretraining: {kernels: sparse24}\n");
        assertTrue(e.contains("retraining") && e.contains("kernels 'sparse24'") && e.contains("'unstructured'") && e.contains("transposable24"), e);
        e = error(one + "pruning: {granularity: nm, n: 1, m: 4}\nretraining: {kernels: sparse24}\n");
        assertTrue(e.contains("n 1, m 4") && e.contains("2:4"), e);
        e = error(one + "pruning: {granularity: nm}\nretraining: {kernels: sparse}\n");
        assertTrue(e.contains("'kernels'") && e.contains("sparse") && e.contains("sparse24") && e.contains("auto"), e);
        e = error(one + "pruning: {granularity: nm}\nretraining: {kernels: sparse24, precision: fp32}\n");
        assertTrue(e.contains("1:2") && e.contains("precision"), e);
        e = error(one + "pruning: {granularity: nm}\nretraining: {kernel: sparse24}\n");
        assertTrue(e.contains("unknown field 'kernel'"), e);
        r = RecipeParser.load(write("algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\nretraining: {precision: bf16}\n"));
        assertEquals(io.sparseretrain.core.nn.Precision.BF16, r.retraining().precision());
        assertEquals(io.sparseretrain.core.nn.KernelMode.DENSE, r.retraining().kernels());
        e = error(one + "pruning: {granularity: nm}\nretraining: {kernels: sparse24, precision: fp8}\n");
        assertTrue(e.contains("'precision'") && e.contains("bf16") && e.contains("fp32"), e);
    }

    @Test
    void retrainingCudaGraphIsValidatedNamingTheField() throws Exception {
        String one = "algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\n";
        assertTrue(!RecipeParser.load(write(one)).retraining().cudaGraph(), "off by default");
        assertTrue(RecipeParser.load(write(one + "retraining: {cuda_graph: true}\n")).retraining().cudaGraph());
        String e = error(one + "retraining: {cuda_graph: yes please}\n");
        assertTrue(e.contains("cuda_graph") && e.contains("true/false"), e);
        assertTrue(!RecipeParser.load(write(one)).pretraining().cudaGraph(), "pretraining: off by default");
        Path graphedPre = write(one);
        Files.writeString(graphedPre, Files.readString(graphedPre).replace("pretraining: {epochs: 2}", "pretraining: {epochs: 2, cuda_graph: true}"));
        var pre = RecipeParser.load(graphedPre).pretraining();
        assertTrue(pre.cudaGraph(), "pretraining.cuda_graph: true");
        assertTrue(!pre.fingerprint().contains("cudaGraph"), "how steps are issued is not part of the checkpoint's fingerprint: " + pre.fingerprint());
        var bf16 = RecipeParser.load(write(one + "retraining: {cuda_graph: true, precision: bf16}\n")).retraining();
        assertTrue(bf16.cudaGraph() && bf16.precision() == io.sparseretrain.core.nn.Precision.BF16, bf16.toString());
        var sparse = RecipeParser.load(write(one + "pruning: {granularity: nm, n: 2, m: 4}\nretraining: {kernels: sparse24, cuda_graph: true}\n"))
                .retraining();
        assertTrue(sparse.cudaGraph() && sparse.kernels() == io.sparseretrain.core.nn.KernelMode.SPARSE24, sparse.toString());
    }

    @Test
    void fp16IsRefusedNamingTheMissingLossScaling() throws Exception {
        String one = "algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [1]}\n";
        String e = error(one + "retraining: {precision: fp16}\n");
        assertTrue(e.contains("retraining") && e.contains("'fp16'") && e.contains("dynamic loss scaling") && e.contains("'bf16'"), e);
        IllegalArgumentException cli = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.sparseretrain.core.nn.Precision.parse("fp16"));
        assertTrue(cli.getMessage().contains("dynamic loss scaling"), cli.getMessage());
    }
}

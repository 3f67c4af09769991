package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.Backend;
import io.sparseretrain.core.experiment.CellResult;
import io.sparseretrain.core.experiment.Experiment;
import io.sparseretrain.core.recipe.RecipeParser;
import io.sparseretrain.testkit.ProjectTree;
import io.sparseretrain.testkit.RecordingGraphs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole recipe with {@code pretraining.cuda_graph} and {@code retraining.cuda_graph} (LeNet-300-100 on
 * Fashion-MNIST, batch 256: one pretraining epoch, one-shot 90 % global magnitude pruning, 0.2 epochs of LLR
 * retraining) on the recording CUDA Graph double gives the uncaptured recipe's accuracies exactly; on
 * the plain CPU backend the option is refused before any work, naming the field.
 */
class GraphedRecipeTest {
    static Path root;

    @TempDir
    Path dir;

    @BeforeAll
    static void find() {
        root = ProjectTree.root("models/lenet-300-100.yaml");
        ProjectTree.assumeFashionMnist();
    }

    private Path recipe(String name, boolean graphs) throws Exception {
        Path r = dir.resolve(name + ".yaml");
        Files.writeString(r, "name: " + name + "\nmodel: " + root.resolve("models/lenet-300-100.yaml") + "\ndata: {batch: 256}\n"
                + "pretraining: {epochs: 1, lr: 0.1, lr_end: 0.001, warmup_epochs: 0.5, cuda_graph: " + graphs + "}\n"
                + "algorithm: {type: one-shot, sparsities: [0.9], retrain_epochs: [0.2], schedules: [llr]}\n"
                + "retraining: {cuda_graph: " + graphs + "}\nseeds: [0]\n");
        return r;
    }

    private List<CellResult> run(Backend b, String name, boolean graphs) throws Exception {
        return new Experiment(b, RecipeParser.load(recipe(name, graphs)), dir.resolve(name), false,
                new PrintWriter(new StringWriter())).run();
    }

    @Test
    void aGraphedRecipeGivesTheUncapturedAccuracies() throws Exception {
        try (CpuBackend cpu = new CpuBackend()) {
            RecordingGraphs recorded = new RecordingGraphs(cpu);
            CellResult plain = run(cpu, "plain", false).get(0);
            CellResult graphed = run(recorded, "graphed", true).get(0);
            assertEquals(plain.denseAccuracy(), graphed.denseAccuracy(), "dense accuracy after graphed pretraining");
            assertEquals(plain.last().accuracyAfterPrune(), graphed.last().accuracyAfterPrune(), "accuracy after pruning");
            assertEquals(plain.finalAccuracy(), graphed.finalAccuracy(), "accuracy after graphed retraining");
            assertTrue(recorded.replays() > 250, "pretraining and retraining ran from graphs: " + recorded.replays() + " replays");
        }
    }

    @Test
    void graphsOnTheCpuBackendAreRefusedNamingTheField() throws Exception {
        try (CpuBackend cpu = new CpuBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(cpu, "refused", true));
            assertTrue(e.getMessage().startsWith("pretraining.cuda_graph: CUDA Graph capture needs the CUDA backend"), e.getMessage());
            assertTrue(!Files.exists(dir.resolve("refused/seed-0/pretrained.safetensors")), "work done before the refusal");
        }
    }

    /**
     * The whole 2:4 retraining path of a recipe (transposable masks, kernels sparse24 on the host
     * reference, bf16, graphed on the recording double) equals the same recipe run uncaptured, and
     * kernels.json says which layers ran sparse and why the head ran dense.
     */
    @Test
    void aGraphedSparse24RecipeEqualsTheUncapturedOneAndSaysWhatRanSparse() throws Exception {
        Path model = dir.resolve("mlp64.yaml");
        Files.writeString(model, """
                name: mlp64
                input: [28, 28, 1]
                classes: 10
                layers:
                  - flatten
                  - {type: linear, name: fc1, out: 64}
                  - relu
                  - {type: linear, name: fc2, out: 10}
                """);
        java.util.function.BiFunction<String, Boolean, Path> recipe = (name, graphs) -> {
            Path r = dir.resolve(name + ".yaml");
            try {
                Files.writeString(r, "name: " + name + "\nmodel: " + model + "\ndata: {batch: 256}\n"
                        + "pretraining: {epochs: 1, lr: 0.1, lr_end: 0.001, warmup_epochs: 0.5}\n"
                        + "pruning: {granularity: transposable24, dense: [fc2.weight]}\n"
                        + "algorithm: {type: one-shot, sparsities: [0.5], retrain_epochs: [0.1], schedules: [llr]}\n"
                        + "retraining: {kernels: sparse24, precision: bf16, cuda_graph: " + graphs + "}\nseeds: [0]\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return r;
        };
        try (CpuBackend cpu = new CpuBackend()) {
            RecordingGraphs recorded = new RecordingGraphs(cpu);
            CellResult plain = new Experiment(cpu, RecipeParser.load(recipe.apply("s24plain", false)), dir.resolve("s24plain"), false,
                    new PrintWriter(new StringWriter())).run().get(0);
            CellResult graphed = new Experiment(recorded, RecipeParser.load(recipe.apply("s24graphed", true)), dir.resolve("s24graphed"),
                    false, new PrintWriter(new StringWriter())).run().get(0);
            assertEquals(plain.finalAccuracy(), graphed.finalAccuracy(), "2:4 retraining graphed vs uncaptured");
            assertTrue(plain.finalAccuracy() > 0.7, "2:4 retraining kept the model working: " + plain.finalAccuracy());
            assertTrue(recorded.replays() > 10, "retraining replayed from graphs: " + recorded.replays());
            String kernels = Files.readString(dir.resolve("s24graphed/seed-0/one-shot-llr-s0.5000-e0.100/kernels.json"));
            assertTrue(kernels.contains("\"kernels\":\"sparse24\"") && kernels.contains("fc1 [n=64, k=784]: sparse FORWARD:16, FORWARD:256, FORWARD:96\"")
                    && kernels.contains("\"fc2\":\"runs dense: pruning.dense keeps it dense (not 2:4)\""), kernels);
        }
    }
}

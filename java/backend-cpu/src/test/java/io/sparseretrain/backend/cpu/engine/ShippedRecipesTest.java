package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.experiment.Experiment;
import io.sparseretrain.core.recipe.Recipe;
import io.sparseretrain.core.recipe.RecipeParser;
import io.sparseretrain.testkit.ProjectTree;
import io.sparseretrain.testkit.RecordingGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every recipe under models/recipes parses and validates against its model (names, N:M / 2:4 shapes,
 * structured fan-ins, CUDA Graph options on a backend with graphs), so a shipped recipe — including the
 * GPU-only ones this machine cannot run — never fails after hours of pretraining for a reason visible
 * at start-up.
 */
class ShippedRecipesTest {
    @Test
    void everyShippedRecipeValidatesAgainstItsModel() throws Exception {
        Path root = ProjectTree.root("models/recipes");
        List<Path> recipes;
        try (Stream<Path> s = Files.list(root.resolve("models/recipes"))) {
            recipes = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(recipes.size() >= 10, "recipes found: " + recipes);
        List<String> failed = new ArrayList<>();
        try (CpuBackend cpu = new CpuBackend()) {
            // the GPU-only recipes ask for CUDA Graphs: validated on a backend that offers them (the recording double)
            RecordingGraphs withGraphs = new RecordingGraphs(cpu);
            for (Path p : recipes) {
                try {
                    Recipe r = RecipeParser.load(p);
                    Experiment.validate(withGraphs, r);
                } catch (Exception e) {
                    failed.add(p.getFileName() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(failed.isEmpty(), String.join("\n", failed));
    }
}

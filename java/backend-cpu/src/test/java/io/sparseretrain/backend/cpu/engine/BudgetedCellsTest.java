package io.sparseretrain.backend.cpu.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.experiment.CellResult;
import io.sparseretrain.core.experiment.Experiment;
import io.sparseretrain.core.recipe.RecipeParser;
import io.sparseretrain.testkit.ProjectTree;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIMP trains every cell from the same initial weights: a cell's result must not depend on the cells
 * run before it. With retraining in bf16, the second cell's dense phase once ran on the first cell's
 * bf16 kernels; here the 95 % cell of a [90 %, 95 %] grid must equal the same cell run alone.
 */
class BudgetedCellsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void data() {
        ProjectTree.assumeFashionMnist();
    }

    private List<CellResult> run(String name, String sparsities) throws Exception {
        Path model = dir.resolve("mlp.yaml");
        Files.writeString(model, "name: mlp\ninput: [28, 28, 1]\nclasses: 10\nlayers:\n  - flatten\n"
                + "  - {type: linear, name: fc1, out: 64}\n  - relu\n  - {type: linear, name: fc2, out: 10}\n");
        Path r = dir.resolve(name + ".yaml");
        Files.writeString(r, "name: " + name + "\nmodel: " + model + "\ndata: {batch: 256}\n"
                + "pretraining: {epochs: 1, lr: 0.1, lr_end: 0.001, warmup_epochs: 0.05}\n"
                + "algorithm: {type: bimp, sparsities: " + sparsities + ", total_epochs: 0.4, dense_epochs: 0.2, cycles: 2}\n"
                + "retraining: {precision: bf16}\nseeds: [0]\n");
        try (CpuBackend cpu = new CpuBackend()) {
            return new Experiment(cpu, RecipeParser.load(r), dir.resolve(name), false, new PrintWriter(new StringWriter())).run();
        }
    }

    @Test
    void aBimpCellDoesNotDependOnTheCellsBeforeIt() throws Exception {
        CellResult second = run("grid", "[0.9, 0.95]").get(1);
        CellResult alone = run("alone", "[0.95]").get(0);
        assertEquals(0.95, second.sparsity(), 1e-12);
        assertEquals(alone.finalAccuracy(), second.finalAccuracy(), "the 95 % cell after the 90 % one vs run alone");
    }
}

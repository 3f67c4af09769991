package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Backends;
import io.sparseretrain.core.experiment.CellResult;
import io.sparseretrain.core.experiment.Experiment;
import io.sparseretrain.core.experiment.Report;
import io.sparseretrain.core.recipe.Recipe;
import io.sparseretrain.core.recipe.RecipeException;
import io.sparseretrain.core.recipe.RecipeParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sparseretrain run <recipe>}: pretrain, prune and retrain per the recipe, then report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a recipe (YAML): dense pretraining, pruning and sparsity-aware retraining over its grid; writes "
                + "checkpoints, LR curves, results.csv/json, report.md and PNG plots to --out.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "recipe file, e.g. models/recipes/main.yaml")
    Path recipeFile;

    @Option(names = "--backend", description = "cpu, cuda or cuda:N (default: the best available)")
    String backend;

    @Option(names = "--seed", description = "one seed (overrides the recipe's)")
    Long seed;

    @Option(names = "--seeds", description = "seed range A..B or list A,B,C (overrides the recipe's)")
    String seeds;

    @Option(names = "--out", description = "run folder (default: runs/<recipe name>)")
    Path out;

    @Option(names = "--resume", description = "skip the pretraining and cells already finished in --out")
    boolean resume;

    @Option(names = "--check", description = "only validate the recipe against its model and the backend (fields, layer names, "
            + "N:M / 2:4 shapes, CUDA Graph options) and print the grid; reads no data, writes nothing")
    boolean check;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Recipe r = RecipeParser.load(recipeFile);
        List<Long> s = seedList();
        if (s != null) r = r.withSeeds(s);
        Path dir = out != null ? out : Path.of("runs", r.name());
        try (Backend b = backend == null ? Backends.createDefault() : Backends.create(backend)) {
            if (check) {
                Experiment.validate(b, r);
                Recipe.Algorithm a = r.algorithm();
                boolean budgeted = a.kind() == Recipe.Kind.BIMP || a.kind() == Recipe.Kind.GMP;
                int budgets = a.retrainTotalEpochs() > 0 ? 1 : a.retrainEpochs().size();
                long cells = (long) r.seeds().size() * a.sparsities().size() * (budgeted ? 1 : budgets * a.schedules().size());
                w.printf("recipe %s: valid for backend %s (model %s, %s pruning, %s); %d cell(s) over seeds %s%n", r.name(), b.name(),
                        r.model().getFileName(), r.pruning().granularity().name().toLowerCase(java.util.Locale.ROOT),
                        a.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), cells, r.seeds());
                return 0;
            }
            w.printf("recipe %s on %s, seeds %s, out %s%n", r.name(), b.name(), r.seeds(), dir);
            long start = System.nanoTime();
            List<CellResult> cells = new Experiment(b, r, dir, resume, w).run();
            Plots.write(dir, r.algorithm().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), cells);
            w.println(Report.table(cells));
            w.printf("%d cells in %.1f s; report %s%n", cells.size(), (System.nanoTime() - start) / 1e9, dir.resolve("report.md"));
        }
        return 0;
    }

    private List<Long> seedList() {
        if (seed != null && seeds != null) throw new RecipeException("give --seed or --seeds, not both");
        if (seed != null) return List.of(seed);
        if (seeds == null) return null;
        List<Long> list = new ArrayList<>();
        try {
            if (seeds.contains("..")) {
                String[] ab = seeds.split("\\.\\.");
                long a = Long.parseLong(ab[0].trim()), z = Long.parseLong(ab[1].trim());
                if (z < a) throw new RecipeException("--seeds " + seeds + ": the range is empty");
                for (long i = a; i <= z; i++) list.add(i);
            } else {
                for (String t : seeds.split(",")) list.add(Long.parseLong(t.trim()));
            }
        } catch (NumberFormatException e) {
            throw new RecipeException("--seeds '" + seeds + "' is neither A..B nor A,B,C of integers");
        }
        return list;
    }
}

package io.sparseretrain.cli;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import java.io.PrintWriter;

/** Per-layer and global sparsity, dense and nonzero multiply-adds, theoretical speedup. */
final class ModelSummary {
    private ModelSummary() {}

    static void print(PrintWriter w, Model m) {
        Backend b = m.backend();
        long total = 0, nonzero = 0;
        w.printf("%-28s %12s %12s %9s%n", "parameter", "size", "nonzero", "sparsity");
        for (Parameter p : m.prunableParameters()) {
            long nz = b.masks().countNonzero(p.value());
            total += p.numel();
            nonzero += nz;
            w.printf("%-28s %,12d %,12d %8.2f%%%n", p.name(), p.numel(), nz, 100.0 * (1 - (double) nz / p.numel()));
        }
        w.printf("%-28s %,12d %,12d %8.2f%%%n", "all Linear/Conv weights", total, nonzero, 100.0 * (1 - (double) nonzero / total));
        long dense = m.denseMultiplyAdds(), sparse = m.sparseMultiplyAdds();
        w.printf("multiply-adds per example: dense %,d, nonzero %,d; theoretical speedup %.2fx%n", dense, sparse,
                sparse == 0 ? Double.POSITIVE_INFINITY : (double) dense / sparse);
    }
}

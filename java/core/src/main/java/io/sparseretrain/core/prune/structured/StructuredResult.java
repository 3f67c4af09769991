package io.sparseretrain.core.prune.structured;

import io.sparseretrain.core.nn.Model;
import java.util.Map;

/**
 * The compacted model (owned by this result: close it, or take it with {@link #model()} and close the
 * model), the kept output indices per pruned layer (ascending, original numbering) and the report.
 */
public record StructuredResult(Model model, Map<String, int[]> kept, StructuredReport report) implements AutoCloseable {
    public StructuredResult {
        kept = Map.copyOf(kept);
    }

    @Override
    public void close() {
        model.close();
    }
}

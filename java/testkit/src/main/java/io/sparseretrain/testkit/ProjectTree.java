package io.sparseretrain.testkit;

import io.sparseretrain.core.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that read the repository's own files (models/, scripts/) or the installed data set: the
 * repository root found upwards from the working directory (Maven runs tests inside a module), and
 * skips that say what is missing instead of failing on a machine that lacks it.
 */
public final class ProjectTree {
    private ProjectTree() {}

    /** The nearest folder at or above the working directory holding {@code marker}; skips the test if none. */
    public static Path root(String marker) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve(marker))) root = root.getParent();
        Assumptions.assumeTrue(root != null, marker + " not found above the working directory");
        return root;
    }

    /** Skips the test where Debian's dataset-fashion-mnist is not installed. */
    public static void assumeFashionMnist() {
        Assumptions.assumeTrue(Files.exists(Path.of(FashionMnist.DEFAULT_DIR, "train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }
}

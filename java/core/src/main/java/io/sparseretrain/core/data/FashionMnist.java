package io.sparseretrain.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (60,000 train / 10,000 test 28×28 grey images, 10 classes) from Debian's
 * {@code dataset-fashion-mnist} package, normalized with the training set's mean and standard
 * deviation (0.2860, 0.3530), the usual constants for this data set.
 *
 * <p>Folder: the argument, else {@value #ENV}, else {@value #DEFAULT_DIR}.
 */
public final class FashionMnist {
    public static final String ENV = "SPARSERETRAIN_FASHION_MNIST";
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    public static final float MEAN = 0.2860f;
    public static final float STD = 0.3530f;

    private FashionMnist() {}

    public record Split(LabeledImages train, LabeledImages test) {}

    /** The folder to read: explicit, environment, or Debian's default. */
    public static Path resolveDir(Path explicit) {
        if (explicit != null) return explicit;
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(DEFAULT_DIR);
    }

    public static Split load(Path dirOrNull) throws IOException {
        Path dir = resolveDir(dirOrNull);
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("train-images-idx3-ubyte.gz"))) {
            throw new DataFormatException("Fashion-MNIST not found in " + dir + ": install it with "
                    + "'apt-get install dataset-fashion-mnist' (Debian), or point --data / " + ENV
                    + " at a folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz");
        }
        return new Split(read(dir, "train", 60_000), read(dir, "t10k", 10_000));
    }

    private static LabeledImages read(Path dir, String prefix, int expected) throws IOException {
        Path imagesFile = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labelsFile = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        IdxFile images = IdxFile.read(imagesFile, -1, 28, 28);
        IdxFile labels = IdxFile.read(labelsFile, -1);
        if (images.dims()[0] != labels.dims()[0]) {
            throw new DataFormatException(labelsFile, 4, "holds " + labels.dims()[0] + " labels but " + imagesFile.getFileName()
                    + " holds " + images.dims()[0] + " images");
        }
        if (images.dims()[0] != expected) {
            throw new DataFormatException(imagesFile, 4, "holds " + images.dims()[0] + " images, Fashion-MNIST's " + prefix + " split has " + expected);
        }
        return decode(images, labels, 10);
    }

    /** Unsigned bytes → (x/255 − mean)/std; labels checked against the class count. */
    static LabeledImages decode(IdxFile images, IdxFile labels, int classes) {
        byte[] px = images.data();
        float[] features = new float[px.length];
        for (int i = 0; i < px.length; i++) features[i] = ((px[i] & 0xff) / 255f - MEAN) / STD;
        int[] y = new int[labels.dims()[0]];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.data()[i] & 0xff;
            if (y[i] >= classes) {
                throw new DataFormatException(labels.file(), 8 + i, "label " + y[i] + " is not a class in [0, " + classes + ")");
            }
        }
        return new LabeledImages(features, y, 1, images.dims()[1], images.dims()[2], classes);
    }
}

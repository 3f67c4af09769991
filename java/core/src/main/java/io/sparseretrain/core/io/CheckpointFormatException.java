package io.sparseretrain.core.io;

import io.sparseretrain.core.SparseRetrainException;
import java.nio.file.Path;

/** A checkpoint that cannot be read as written: names the file, and the tensor or offset. */
public class CheckpointFormatException extends SparseRetrainException {
    public CheckpointFormatException(Path file, String what) {
        super(file + ": " + what);
    }

    public CheckpointFormatException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}

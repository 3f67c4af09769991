package io.sparseretrain.core.data;

import io.sparseretrain.core.SparseRetrainException;
import java.nio.file.Path;

/** A data file that is not what it claims to be; names the file and the byte offset. */
public class DataFormatException extends SparseRetrainException {
    public DataFormatException(Path file, long offset, String what) {
        super(file + " at byte offset " + offset + ": " + what);
    }

    public DataFormatException(String message) {
        super(message);
    }
}

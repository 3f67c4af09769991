package io.sparseretrain.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * IDX files (the MNIST format: big-endian magic 0x0000 | type | ndim, ndim big-endian int32 sizes,
 * then the data), plain or gzipped. Only unsigned-byte data (type 0x08) is read, as Fashion-MNIST has.
 *
 * @param dims sizes of each dimension
 * @param data all elements, unsigned bytes as stored
 */
public record IdxFile(Path file, int[] dims, byte[] data) {
    private static final int UBYTE = 0x08;

    /** Reads the file, checking magic, type, dimensions and length against {@code expectedDims} (-1 = any). */
    public static IdxFile read(Path file, int... expectedDims) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file, 0, "file does not exist");
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = new BufferedInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16)) {
            long offset = 0;
            int magic = readInt(in, file, offset);
            if ((magic >>> 16) != 0) throw new DataFormatException(file, 0, String.format("wrong magic 0x%08x (an IDX file starts with 0x0000)", magic));
            int type = (magic >>> 8) & 0xff;
            int ndim = magic & 0xff;
            if (type != UBYTE) throw new DataFormatException(file, 2, String.format("data type 0x%02x is not unsigned byte (0x08)", type));
            if (ndim != expectedDims.length) {
                throw new DataFormatException(file, 3, "has " + ndim + " dimensions, expected " + expectedDims.length);
            }
            offset += 4;
            int[] dims = new int[ndim];
            long total = 1;
            for (int d = 0; d < ndim; d++) {
                dims[d] = readInt(in, file, offset);
                if (dims[d] < 0 || (expectedDims[d] >= 0 && dims[d] != expectedDims[d])) {
                    throw new DataFormatException(file, offset, "dimension " + d + " is " + dims[d]
                            + (expectedDims[d] >= 0 ? ", expected " + expectedDims[d] : ""));
                }
                offset += 4;
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE) throw new DataFormatException(file, offset, total + " elements are too many");
            byte[] data = new byte[(int) total];
            int got = in.readNBytes(data, 0, data.length);
            if (got != data.length) {
                throw new DataFormatException(file, offset + got, "truncated: " + got + " of " + data.length + " data bytes present");
            }
            if (in.read() != -1) throw new DataFormatException(file, offset + got, "trailing bytes after " + data.length + " data bytes");
            return new IdxFile(file, dims, data);
        }
    }

    private static int readInt(InputStream in, Path file, long offset) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length != 4) throw new DataFormatException(file, offset + b.length, "truncated header");
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

}

package io.sparseretrain.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxAndFashionMnistTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes).putInt(magic);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < dataBytes; i++) b.put((byte) (i % 7));
        return b.array();
    }

    Path gz(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bos)) {
            o.write(content);
        }
        Files.write(f, bos.toByteArray());
        return f;
    }

    @Test
    void readsImagesAndLabels() throws IOException {
        IdxFile f = IdxFile.read(gz("a-images-idx3-ubyte.gz", idx(0x803, new int[] {3, 28, 28}, 3 * 784)), -1, 28, 28);
        assertArrayEquals(new int[] {3, 28, 28}, f.dims());
        assertEquals(3 * 784, f.data().length);
    }

    @Test
    void wrongMagicNamesFileAndOffset() throws IOException {
        Path f = gz("x.gz", idx(0x12340803, new int[] {1, 28, 28}, 784));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFile.read(f, -1, 28, 28));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("offset 0") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void truncatedDataNamesOffset() throws IOException {
        Path f = gz("t.gz", idx(0x803, new int[] {2, 28, 28}, 784 + 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFile.read(f, -1, 28, 28));
        assertTrue(e.getMessage().contains("offset " + (16 + 884)) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongDimensionsAreRejected() throws IOException {
        Path f = gz("d.gz", idx(0x803, new int[] {1, 32, 32}, 1024));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFile.read(f, -1, 28, 28));
        assertTrue(e.getMessage().contains("dimension 1 is 32, expected 28"), e.getMessage());
    }

    @Test
    void imageLabelCountMismatchIsRejected() throws IOException {
        gz("train-images-idx3-ubyte.gz", idx(0x803, new int[] {5, 28, 28}, 5 * 784));
        gz("train-labels-idx1-ubyte.gz", idx(0x801, new int[] {4}, 4));
        DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("4 labels but train-images-idx3-ubyte.gz holds 5 images"), e.getMessage());
    }

    @Test
    void missingDataSetSaysHowToInstall() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void realFashionMnistLoadsWhenInstalled() throws IOException {
        Path d = Path.of(FashionMnist.DEFAULT_DIR);
        Assumptions.assumeTrue(Files.exists(d.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        FashionMnist.Split s = FashionMnist.load(d);
        assertEquals(60_000, s.train().size());
        assertEquals(10_000, s.test().size());
        double mean = 0;
        for (float v : s.train().features()) mean += v;
        mean /= s.train().features().length;
        assertEquals(0.0, mean, 0.01, "normalized training mean");
        int[] perClass = new int[10];
        for (int y : s.test().labels()) perClass[y]++;
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
    }
}

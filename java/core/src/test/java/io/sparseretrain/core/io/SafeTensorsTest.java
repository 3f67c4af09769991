package io.sparseretrain.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static float[] randomFloats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private Path writeSample() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        SafeTensors.write(f, List.of(
                HostTensor.ofFloats("fc1.weight", randomFloats(12, 1), 3, 4),
                HostTensor.ofBytes("fc1.weight_mask", new byte[] {1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1}, 3, 4),
                HostTensor.ofLongs("bn1.num_batches_tracked", new long[] {7})),
                Map.of("model", "lenet-300-100", "step", "42"));
        return f;
    }

    @Test
    void roundTripKeepsTensorsAndMetadata() throws IOException {
        Path f = writeSample();
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("fc1.weight", "fc1.weight_mask", "bn1.num_batches_tracked"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(randomFloats(12, 1), c.require("fc1.weight", f).toFloats());
        assertArrayEquals(new long[] {3, 4}, c.require("fc1.weight_mask", f).shape());
        assertArrayEquals(new long[0], c.require("bn1.num_batches_tracked", f).shape());
        assertEquals(7L, c.require("bn1.num_batches_tracked", f).data().getLong(0));
        assertEquals("42", c.metadata().get("step"));
        assertTrue(c.metadata().containsKey(SafeTensors.CRC_KEY));
        // data starts 8-byte aligned, as upstream safetensors writes it
        long n = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
    }

    @Test
    void flippedDataByteFailsWholeAndNamesFile() throws IOException {
        Path f = writeSample();
        byte[] b = Files.readAllBytes(f);
        b[b.length - 3] ^= 0x10;
        Files.write(f, b);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path f = writeSample();
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 5));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("bn1.num_batches_tracked") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void headerLengthBeyondFileIsRejectedWithOffset() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes(StandardCharsets.UTF_8));
        Files.write(f, b.array());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("header length 1000 at offset 0"), e.getMessage());
    }

    @Test
    void overlappingOffsetsAndWrongByteCountsAreRejected() throws IOException {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(raw(overlap, 12))).getMessage().contains("overlap"));
        String wrongSize = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertTrue(assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(raw(wrongSize, 8))).getMessage().contains("needs 12 bytes"));
        String badDtype = "{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertTrue(assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(raw(badDtype, 8))).getMessage().contains("unknown dtype"));
        assertTrue(assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(raw("{\"a\":", 0))).getMessage().contains("not valid JSON"));
    }

    @Test
    void readsFilesWithoutOurChecksumAsUpstreamWritesThem() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Path f = raw(header, 0);
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        Files.write(f, data.array(), java.nio.file.StandardOpenOption.APPEND);
        assertArrayEquals(new float[] {1.5f, -2f}, SafeTensors.read(f).require("w", f).toFloats());
    }

    @Test
    void rewriteReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
        Path f = writeSample();
        SafeTensors.write(f, List.of(HostTensor.ofFloats("x", new float[] {3f}, 1)), Map.of());
        assertArrayEquals(new float[] {3f}, SafeTensors.read(f).require("x", f).toFloats());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private Path raw(String header, int dataBytes) throws IOException {
        Path f = dir.resolve("raw" + header.hashCode() + ".safetensors");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
        Files.write(f, b.array());
        return f;
    }
}

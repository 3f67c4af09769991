package io.sparseretrain.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * safetensors files: 8-byte little-endian header length N, N bytes of JSON header (tensor name →
 * dtype, shape, data_offsets; optional "__metadata__" string map), then the raw little-endian data.
 * PyTorch's {@code safetensors.torch.load_file} reads what we write and we read what it writes.
 *
 * <p>Writes are atomic (temp file in the same folder, fsync, rename, fsync of the folder): a kill
 * leaves the old file or the new one, never half of one. The writer records a CRC-32C of the data
 * section in the metadata ({@value #CRC_KEY}); the reader verifies it when present, so a tampered or
 * truncated file fails as a whole and nothing is half-loaded.
 */
public final class SafeTensors {
    public static final String CRC_KEY = "sparseretrain.crc32c";
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** The content of a file: tensors in file order and the metadata. */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        public HostTensor require(String name, Path file) {
            HostTensor t = tensors.get(name);
            if (t == null) throw new CheckpointFormatException(file, "has no tensor '" + name + "' (has " + tensors.keySet() + ")");
            return t;
        }
    }

    public static void write(Path file, List<HostTensor> tensors, Map<String, String> metadata) throws IOException {
        Set<String> names = new HashSet<>();
        long offset = 0;
        CRC32C crc = new CRC32C();
        StringBuilder tensorsJson = new StringBuilder();
        for (HostTensor t : tensors) {
            if (t.name().equals("__metadata__") || !names.add(t.name())) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' is reserved or repeated");
            }
            long size = t.data().remaining();
            tensorsJson.append(',').append(Json.quote(t.name())).append(":{\"dtype\":\"").append(t.dtype().header())
                    .append("\",\"shape\":").append(longs(t.shape())).append(",\"data_offsets\":[").append(offset)
                    .append(',').append(offset + size).append("]}");
            offset += size;
            crc.update(t.data());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CRC_KEY, Long.toHexString(crc.getValue()));
        StringBuilder header = new StringBuilder("{\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!first) header.append(',');
            header.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            first = false;
        }
        header.append('}').append(tensorsJson).append('}');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;  // 8-byte aligned data, padded with spaces as upstream does
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(headerBytes);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (HostTensor t : tensors) writeFully(ch, t.data());
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Contents read(Path file) throws IOException {
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(file, "no such file");
        }
        if (fileSize < 8) throw new CheckpointFormatException(file, "is " + fileSize + " bytes, shorter than the 8-byte header length");
        if (fileSize > Integer.MAX_VALUE) throw new CheckpointFormatException(file, "is larger than 2 GiB, which this reader does not take");
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = all.getLong(0);
        if (n < 2 || n > MAX_HEADER || 8 + n > fileSize) {
            throw new CheckpointFormatException(file, "header length " + n + " at offset 0 does not fit a file of " + fileSize + " bytes");
        }
        String headerText = new String(all.array(), 8, (int) n, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Json.parse(headerText.stripTrailing());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new CheckpointFormatException(file, "header is not a JSON object");
        int dataStart = (int) (8 + n);
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw new CheckpointFormatException(file, "__metadata__ is not an object");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s)) {
                        throw new CheckpointFormatException(file, "__metadata__ value of '" + me.getKey() + "' is not a string");
                    }
                    metadata.put((String) me.getKey(), s);
                }
                continue;
            }
            entries.add(Entry.parse(file, name, e.getValue(), dataSize));
        }
        checkCoverage(file, entries, dataSize);
        String crcHex = metadata.get(CRC_KEY);
        if (crcHex != null) {
            CRC32C crc = new CRC32C();
            crc.update(all.array(), dataStart, (int) dataSize);
            if (!Long.toHexString(crc.getValue()).equals(crcHex)) {
                throw new CheckpointFormatException(file, "data checksum mismatch (stored crc32c " + crcHex + ", computed "
                        + Long.toHexString(crc.getValue()) + "): the file is corrupt or was modified; nothing was loaded");
            }
        }
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Entry en : entries) {
            ByteBuffer slice = all.duplicate().position(dataStart + (int) en.begin).limit(dataStart + (int) en.end).slice();
            tensors.put(en.name, new HostTensor(en.name, en.dtype, en.shape, slice));
        }
        return new Contents(tensors, metadata);
    }

    private record Entry(String name, StoredDType dtype, long[] shape, long begin, long end) {
        static Entry parse(Path file, String name, Object value, long dataSize) {
            if (!(value instanceof Map<?, ?> m)) throw new CheckpointFormatException(file, "entry of tensor '" + name + "' is not an object");
            StoredDType dtype = m.get("dtype") instanceof String s ? StoredDType.fromHeader(s) : null;
            if (dtype == null) throw new CheckpointFormatException(file, "tensor '" + name + "' has unknown dtype " + m.get("dtype"));
            long[] shape = longsOf(file, name, "shape", m.get("shape"));
            long[] off = longsOf(file, name, "data_offsets", m.get("data_offsets"));
            if (off.length != 2 || off[0] < 0 || off[1] < off[0] || off[1] > dataSize) {
                throw new CheckpointFormatException(file, "tensor '" + name + "' data_offsets " + java.util.Arrays.toString(off)
                        + " do not fit the " + dataSize + "-byte data section (truncated file?)");
            }
            long numel;
            try {
                numel = io.sparseretrain.core.Shapes.numel(shape);
            } catch (RuntimeException e) {
                throw new CheckpointFormatException(file, "tensor '" + name + "' has bad shape: " + e.getMessage());
            }
            if (numel * dtype.byteSize() != off[1] - off[0]) {
                throw new CheckpointFormatException(file, "tensor '" + name + "' " + java.util.Arrays.toString(shape) + " " + dtype
                        + " needs " + numel * dtype.byteSize() + " bytes but data_offsets span " + (off[1] - off[0]));
            }
            return new Entry(name, dtype, shape, off[0], off[1]);
        }
    }

    /** The tensors must tile the data section exactly: no gaps, overlaps or trailing bytes. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataSize) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at) {
                throw new CheckpointFormatException(file, "tensor '" + e.name + "' starts at data offset " + e.begin + ", expected " + at
                        + " (gap or overlap)");
            }
            at = e.end;
        }
        if (at != dataSize) {
            throw new CheckpointFormatException(file, "data section is " + dataSize + " bytes but the tensors cover " + at
                    + " (truncated or trailing bytes)");
        }
    }

    private static long[] longsOf(Path file, String tensor, String field, Object v) {
        if (!(v instanceof List<?> list)) throw new CheckpointFormatException(file, "tensor '" + tensor + "' " + field + " is not an array");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw new CheckpointFormatException(file, "tensor '" + tensor + "' " + field + "[" + i + "] is not an integer");
            }
            out[i] = l;
        }
        return out;
    }

    private static String longs(long[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.append(']').toString();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        ByteBuffer d = b.duplicate();
        while (d.hasRemaining()) ch.write(d);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse to open directories; the rename itself is still atomic there.
        }
    }
}

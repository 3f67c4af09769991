package io.sparseretrain.core.io;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.ModelSpecWriter;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint whose architecture is not a file under models/ (a structurally pruned, narrower model):
 * its model file ({@code <checkpoint stem>.model.yaml}, the models/*.yaml format) is written beside it
 * and named in the checkpoint's metadata under {@value #SPEC_KEY} (a file name, resolved against the
 * checkpoint's folder), so {@code eval} and {@link #build} find the architecture from the checkpoint
 * alone. Both files are written to temporary files and moved into place, model file first: a failure
 * leaves what was there before.
 */
public final class CompactedCheckpoint {
    public static final String SPEC_KEY = "model_spec";

    private CompactedCheckpoint() {}

    /** {@code dir/x.safetensors} → {@code dir/x.model.yaml}. */
    public static Path specPath(Path checkpoint) {
        String f = checkpoint.getFileName().toString();
        String stem = f.endsWith(".safetensors") ? f.substring(0, f.length() - ".safetensors".length()) : f;
        return checkpoint.resolveSibling(stem + ".model.yaml");
    }

    /** Writes the model file, then the checkpoint with {@value #SPEC_KEY} in its metadata. Returns the model file. */
    public static Path save(Path checkpoint, Model model, Map<String, String> metadata, List<String> comment) throws IOException {
        Path spec = specPath(checkpoint);
        String yaml = ModelSpecWriter.toYaml(model, comment);
        ModelSpec.parse(spec.toString(), yaml);  // never write a model file that does not parse
        Path dir = checkpoint.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, spec.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, yaml);
            try {
                Files.move(tmp, spec, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, spec, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(SPEC_KEY, spec.getFileName().toString());
        Checkpoint.save(checkpoint, model, null, meta);
        return spec;
    }

    /** The model file a checkpoint names in its metadata, or null when it names none. */
    public static Path specOf(Path checkpoint) throws IOException {
        String name = SafeTensors.read(checkpoint).metadata().get(SPEC_KEY);
        if (name == null) return null;
        Path p = Path.of(name);
        if (p.isAbsolute() || p.getNameCount() != 1) {
            throw new CheckpointFormatException(checkpoint, "metadata '" + SPEC_KEY + "' = '" + name + "' is not a file name beside the checkpoint");
        }
        Path spec = checkpoint.resolveSibling(name);
        if (!Files.isRegularFile(spec)) {
            throw new CheckpointFormatException(checkpoint, "names model file '" + name + "' in its metadata, but " + spec + " does not exist");
        }
        return spec;
    }

    /**
     * The model of a checkpoint, loaded: built from {@code modelFile} when given, else from the model
     * file its metadata names; the caller closes it.
     */
    public static Model build(Backend backend, Path checkpoint, Path modelFile) throws IOException {
        Path spec = modelFile != null ? modelFile : specOf(checkpoint);
        if (spec == null) {
            throw new CheckpointFormatException(checkpoint, "names no model file in its metadata ('" + SPEC_KEY + "'); give the model file "
                    + "(e.g. --model models/lenet-300-100.yaml)");
        }
        Model m = ModelSpec.load(spec).build(backend, 0);
        try {
            Checkpoint.load(checkpoint, m, null);
            return m;
        } catch (CheckpointFormatException e) {
            m.close();
            String named = modelFile != null ? SafeTensors.read(checkpoint).metadata().get(SPEC_KEY) : null;
            if (named != null) {
                throw new CheckpointFormatException(checkpoint, e.getMessage() + " — the checkpoint names its own model file '" + named
                        + "' (a compacted architecture): drop --model or pass that file");
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }
}

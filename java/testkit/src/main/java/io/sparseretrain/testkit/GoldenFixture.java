package io.sparseretrain.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Typed reads from a golden JSON fixture on the class path (numbers arrive as Double from {@link MiniJson}). */
final class GoldenFixture {
    private GoldenFixture() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String resource) {
        try (InputStream in = GoldenFixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new AssertionError(resource + " is not on the class path");
            return (Map<String, Object>) MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + resource, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) require(m, key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) require(m, key);
    }

    static int integer(Map<String, Object> m, String key) {
        return ((Double) require(m, key)).intValue();
    }

    static float number(Map<String, Object> m, String key) {
        return ((Double) require(m, key)).floatValue();
    }

    private static Object require(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new AssertionError("golden fixture: missing '" + key + "' in " + m.keySet());
        return v;
    }

    @SuppressWarnings("unchecked")
    static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Double) l.get(i)).floatValue();
        return a;
    }

    @SuppressWarnings("unchecked")
    static int[] ints(Object list) {
        List<Object> l = (List<Object>) list;
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Double) l.get(i)).intValue();
        return a;
    }

    static byte[] bytes(Object list) {
        int[] v = ints(list);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}

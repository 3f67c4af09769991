package io.sparseretrain.core.nn;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed access to a YAML map with messages naming the file, the place and the field. */
final class Fields {
    private final String source;
    private final String where;
    private final Map<String, Object> map;

    Fields(String source, String where, Map<String, Object> map, Set<String> allowed) {
        this.source = source;
        this.where = where;
        this.map = map;
        if (allowed != null) {
            for (String k : map.keySet()) {
                if (!allowed.contains(k)) {
                    throw new ModelSpecException(source + ": " + where + ": unknown field '" + k + "' (allowed: " + new TreeSet<>(allowed) + ")");
                }
            }
        }
    }

    private ModelSpecException bad(String field, String what) {
        return new ModelSpecException(source + ": " + where + ": field '" + field + "' " + what);
    }

    private Object get(String field, Object dflt) {
        Object v = map.get(field);
        if (v == null && dflt == null) throw bad(field, "is required");
        return v == null ? dflt : v;
    }

    String string(String field, String dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof String s) || s.isBlank()) throw bad(field, "= " + v + " is not a non-empty string");
        return s;
    }

    int positiveInt(String field, Integer dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Integer i) || i <= 0) throw bad(field, "= " + v + " is not a positive integer");
        return i;
    }

    int nonNegativeInt(String field, Integer dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Integer i) || i < 0) throw bad(field, "= " + v + " is not a non-negative integer");
        return i;
    }

    double number(String field, Double dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) throw bad(field, "= " + v + " is not a number");
        return n.doubleValue();
    }

    boolean bool(String field, boolean dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Boolean b)) throw bad(field, "= " + v + " is not true/false");
        return b;
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String field) {
        Object v = get(field, null);
        if (!(v instanceof List<?> l)) throw bad(field, "is not a list");
        return (List<Object>) l;
    }
}

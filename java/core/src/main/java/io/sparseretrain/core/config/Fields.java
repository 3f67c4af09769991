package io.sparseretrain.core.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Typed access to a YAML map with messages naming the file, the place and the field. */
public final class Fields {
    private final String source;
    private final String where;
    private final Map<String, Object> map;
    private final Function<String, RuntimeException> error;

    public Fields(String source, String where, Map<String, Object> map, Set<String> allowed, Function<String, RuntimeException> error) {
        this.source = source;
        this.where = where;
        this.map = map;
        this.error = error;
        if (allowed != null) {
            for (String k : map.keySet()) {
                if (!allowed.contains(k)) {
                    throw error.apply(source + ": " + where + ": unknown field '" + k + "' (allowed: " + new TreeSet<>(allowed) + ")");
                }
            }
        }
    }

    private RuntimeException bad(String field, String what) {
        return error.apply(source + ": " + where + ": field '" + field + "' " + what);
    }

    public boolean has(String field) {
        return map.containsKey(field);
    }

    public Object raw(String field) {
        return map.get(field);
    }

    /** A nested map (empty when absent and not required). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String field, boolean required) {
        Object v = map.get(field);
        if (v == null) {
            if (required) throw bad(field, "is required");
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) throw bad(field, "is not a map");
        return (Map<String, Object>) v;
    }

    /** One of the allowed words (case-insensitive). */
    public String choice(String field, String dflt, Set<String> allowed) {
        String v = string(field, dflt).toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(v)) throw bad(field, "= '" + v + "' is not one of " + new TreeSet<>(allowed));
        return v;
    }

    /** A number in [lo, hi). */
    public double fraction(String field, Double dflt, double lo, double hi) {
        double v = number(field, dflt);
        if (!(v >= lo && v < hi)) throw bad(field, "= " + v + " is not in [" + lo + ", " + hi + ")");
        return v;
    }

    /** A list of numbers (a single number is a list of one). */
    public List<Double> numbers(String field, List<Double> dflt) {
        Object v = map.get(field);
        if (v == null) {
            if (dflt == null) throw bad(field, "is required");
            return dflt;
        }
        List<?> l = v instanceof List<?> ll ? ll : List.of(v);
        List<Double> out = new java.util.ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Number n) || !Double.isFinite(n.doubleValue())) throw bad(field, "holds " + o + ", not a number");
            out.add(n.doubleValue());
        }
        if (out.isEmpty()) throw bad(field, "is empty");
        return out;
    }

    /** A list of strings (a single string is a list of one). */
    public List<String> strings(String field, List<String> dflt) {
        Object v = map.get(field);
        if (v == null) {
            if (dflt == null) throw bad(field, "is required");
            return dflt;
        }
        List<?> l = v instanceof List<?> ll ? ll : List.of(v);
        List<String> out = new java.util.ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s)) throw bad(field, "holds " + o + ", not a string");
            out.add(s);
        }
        return out;
    }

    private Object get(String field, Object dflt) {
        Object v = map.get(field);
        if (v == null && dflt == null) throw bad(field, "is required");
        return v == null ? dflt : v;
    }

    public String string(String field, String dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof String s) || s.isBlank()) throw bad(field, "= " + v + " is not a non-empty string");
        return s;
    }

    public int positiveInt(String field, Integer dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Integer i) || i <= 0) throw bad(field, "= " + v + " is not a positive integer");
        return i;
    }

    public int nonNegativeInt(String field, Integer dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Integer i) || i < 0) throw bad(field, "= " + v + " is not a non-negative integer");
        return i;
    }

    public double number(String field, Double dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) throw bad(field, "= " + v + " is not a number");
        return n.doubleValue();
    }

    public boolean bool(String field, boolean dflt) {
        Object v = get(field, dflt);
        if (!(v instanceof Boolean b)) throw bad(field, "= " + v + " is not true/false");
        return b;
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String field) {
        Object v = get(field, null);
        if (!(v instanceof List<?> l)) throw bad(field, "is not a list");
        return (List<Object>) l;
    }
}

package dev.weft.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows under named columns, printed as an aligned table (the wide columns only with {@code -o wide}) or as
 * JSON objects with every column under its key. Numbers and booleans stay typed in JSON.
 */
final class Listing {
    static final ObjectMapper JSON = new ObjectMapper();

    private record Column(String key, String header, boolean wide) {}

    private final List<Column> columns = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();

    Listing column(String key, String header) {
        columns.add(new Column(key, header, false));
        return this;
    }

    Listing wideColumn(String key, String header) {
        columns.add(new Column(key, header, true));
        return this;
    }

    void row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        rows.add(values);
    }

    int size() {
        return rows.size();
    }

    String table(boolean wide) {
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (wide || !columns.get(i).wide()) {
                shown.add(i);
            }
        }
        int[] width = new int[columns.size()];
        for (int i : shown) {
            width[i] = columns.get(i).header().length();
            for (Object[] r : rows) {
                width[i] = Math.max(width[i], text(r[i]).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, shown, width, i -> columns.get(i).header());
        for (Object[] r : rows) {
            line(b, shown, width, i -> text(r[i]));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<Integer> shown, int[] width,
            java.util.function.IntFunction<String> cell) {
        StringBuilder l = new StringBuilder();
        for (int n = 0; n < shown.size(); n++) {
            int i = shown.get(n);
            String c = cell.apply(i);
            l.append(c);
            if (n < shown.size() - 1) {
                l.append(" ".repeat(width[i] - c.length() + 3));
            }
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Boolean bool) {
            return bool ? "yes" : "no";
        }
        String s = v.toString();
        return s.isEmpty() ? "-" : s;
    }

    ArrayNode json() {
        ArrayNode a = JSON.createArrayNode();
        for (Object[] r : rows) {
            ObjectNode o = a.addObject();
            for (int i = 0; i < columns.size(); i++) {
                put(o, columns.get(i).key(), r[i]);
            }
        }
        return a;
    }

    static void put(ObjectNode o, String key, Object v) {
        if (v == null) {
            o.putNull(key);
        } else if (v instanceof Long l) {
            o.put(key, l);
        } else if (v instanceof Integer n) {
            o.put(key, n);
        } else if (v instanceof Double d) {
            o.put(key, d);
        } else if (v instanceof Boolean bool) {
            o.put(key, bool);
        } else if (v instanceof JsonNode n) {
            o.set(key, n);
        } else {
            o.put(key, v.toString());
        }
    }

    static String pretty(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON: " + e.getMessage(), e);
        }
    }
}

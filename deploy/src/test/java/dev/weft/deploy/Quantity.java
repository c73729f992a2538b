package dev.weft.deploy;

/** Kubernetes memory quantities (Ki/Mi/Gi, k/M/G, or plain bytes) and JVM sizes (k/m/g) as bytes. */
final class Quantity {
    private Quantity() {}

    static long bytes(String q) {
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1000"},
            {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] u : units) {
            if (q.endsWith(u[0])) {
                return Long.parseLong(q.substring(0, q.length() - u[0].length())) * Long.parseLong(u[1]);
            }
        }
        return Long.parseLong(q);
    }

    /** -Xmx256m → bytes; the JVM's k/m/g are powers of two. */
    static long jvm(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long n = Character.isDigit(unit) ? Long.parseLong(size) : Long.parseLong(size.substring(0, size.length() - 1));
        return switch (unit) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            case 'g' -> n << 30;
            default -> n;
        };
    }
}

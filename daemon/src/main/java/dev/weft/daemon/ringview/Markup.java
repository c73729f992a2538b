package dev.weft.daemon.ringview;

import java.util.Locale;

/** Escaping and number text shared by the SVG and the page. */
final class Markup {
    private Markup() {}

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A share as a percentage with one decimal, e.g. "33.3%". */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}

package dev.weft.daemon.ringview;

import static dev.weft.daemon.ringview.Markup.escape;
import static dev.weft.daemon.ringview.Markup.num;
import static dev.weft.daemon.ringview.Markup.percent;

/**
 * Draws a {@link RingModel} as SVG: the universe as a ring read clockwise from the top, each range an arc
 * in its owner's colour. The pale band is what the owner holds; the solid part, growing outward from the
 * inner edge, is the share in use. Unreachable owners are hatched, gaps are grey and cross-hatched, a
 * conflicted range gets a red mark outside the ring. The legend names every owner with its share. Pure:
 * text in, text out.
 */
public final class RingSvg {
    static final int WIDTH = 980;
    static final int HEIGHT = 640;
    private static final double CX = 320;
    private static final double CY = 320;
    private static final double OUTER = 250;
    private static final double INNER = 160;
    private static final double MAX_PIECE = Math.PI / 2;
    private static final String CONFLICT = "#D00000";

    private RingSvg() {}

    public static String render(RingModel m) {
        OwnerColours colours = new OwnerColours(m.owners());
        StringBuilder b = new StringBuilder(16_384);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"14\">\n");
        defs(b);
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n");
        for (RingModel.Arc a : m.arcs()) {
            arc(b, m, a, colours);
        }
        separators(b, m);
        centre(b, m);
        legend(b, m, colours);
        b.append("</svg>\n");
        return b.toString();
    }

    private static void defs(StringBuilder b) {
        b.append("<defs>\n")
                .append("<pattern id=\"unreachable\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\""
                        + " patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"8\" fill=\"#000000\""
                        + " fill-opacity=\"0.55\"/></pattern>\n")
                .append("<pattern id=\"gap\" width=\"10\" height=\"10\" patternUnits=\"userSpaceOnUse\">"
                        + "<path d=\"M0 0L10 10M10 0L0 10\" stroke=\"#666666\" stroke-width=\"1.2\"/></pattern>\n")
                .append("</defs>\n");
    }

    private static void arc(StringBuilder b, RingModel m, RingModel.Arc a, OwnerColours colours) {
        double a0 = angle(m, a.start());
        double a1 = angle(m, a.end());
        String owner = a.gap() ? "gap" : a.owner();
        b.append("<g class=\"range").append(a.gap() ? " gap" : "").append(a.conflicted() ? " conflict" : "")
                .append(a.reachable() || a.gap() ? "" : " unreachable").append("\" data-owner=\"")
                .append(escape(owner)).append("\">");
        b.append("<title>").append(escape(a.range())).append(" · ")
                .append(escape(a.gap() ? "gap (no live owner" + (a.owner().isEmpty() ? "" : ", was " + a.owner())
                        + ")" : a.owner()))
                .append(" · ").append(a.size()).append(" addresses, ").append(a.free()).append(" free · version ")
                .append(a.version()).append(a.conflicted() ? " · CONFLICT" : "").append("</title>");
        if (a.gap()) {
            band(b, a0, a1, INNER, OUTER, OwnerColours.GAP, 1.0, null);
            band(b, a0, a1, INNER, OUTER, "url(#gap)", 1.0, null);
        } else {
            String colour = colours.of(a.owner());
            band(b, a0, a1, INNER, OUTER, colour, 0.3, null);
            double used = a.size() == 0 ? 0 : (double) a.inUse() / a.size();
            if (used > 0) {
                band(b, a0, a1, INNER, INNER + Math.max(1.5, (OUTER - INNER) * used), colour, 1.0, null);
            }
            if (!a.reachable()) {
                band(b, a0, a1, INNER, OUTER, "url(#unreachable)", 1.0, null);
            }
        }
        if (a.conflicted()) {
            band(b, a0, a1, OUTER + 4, OUTER + 14, CONFLICT, 1.0, null);
        }
        b.append("</g>\n");
    }

    /** A white radial line where each range starts, so neighbouring ranges of one owner stay apart. */
    private static void separators(StringBuilder b, RingModel m) {
        if (m.arcs().size() < 2) {
            return;
        }
        b.append("<path class=\"separators\" stroke=\"#FFFFFF\" stroke-width=\"1.5\" d=\"");
        for (RingModel.Arc a : m.arcs()) {
            double t = angle(m, a.start());
            b.append('M').append(x(t, INNER)).append(' ').append(y(t, INNER)).append('L').append(x(t, OUTER))
                    .append(' ').append(y(t, OUTER));
        }
        b.append("\"/>\n");
    }

    /** The clockwise angle from the top of an address, in radians. */
    private static double angle(RingModel m, long address) {
        return 2 * Math.PI * (address - m.universeStart()) / (double) m.universeSize();
    }

    /** A ring band between two angles and radii, drawn in pieces so that no SVG arc exceeds a quarter. */
    private static void band(StringBuilder b, double a0, double a1, double r0, double r1, String fill,
            double opacity, String stroke) {
        b.append("<path d=\"");
        for (double s = a0; s < a1 - 1e-12; s += MAX_PIECE) {
            double e = Math.min(a1, s + MAX_PIECE);
            b.append('M').append(x(s, r1)).append(' ').append(y(s, r1))
                    .append("A").append(num(r1)).append(' ').append(num(r1)).append(" 0 0 1 ")
                    .append(x(e, r1)).append(' ').append(y(e, r1))
                    .append('L').append(x(e, r0)).append(' ').append(y(e, r0))
                    .append("A").append(num(r0)).append(' ').append(num(r0)).append(" 0 0 0 ")
                    .append(x(s, r0)).append(' ').append(y(s, r0)).append('Z');
        }
        b.append("\" fill=\"").append(fill).append('"');
        if (opacity < 1) {
            b.append(" fill-opacity=\"").append(num(opacity)).append('"');
        }
        if (stroke != null) {
            b.append(" stroke=\"").append(stroke).append("\" stroke-width=\"1\"");
        }
        b.append("/>");
    }

    private static String x(double angle, double r) {
        return num(CX + r * Math.sin(angle));
    }

    private static String y(double angle, double r) {
        return num(CY - r * Math.cos(angle));
    }

    private static void centre(StringBuilder b, RingModel m) {
        long inUse = m.owners().stream().filter(o -> !o.removed()).mapToLong(RingModel.Owner::inUse).sum();
        text(b, CX, CY - 14, "middle", 20, "bold", m.universe());
        text(b, CX, CY + 12, "middle", 14, "normal", inUse + " in use (" + percent(m.share(inUse)) + ")");
        if (!m.cluster().isEmpty()) {
            text(b, CX, CY + 34, "middle", 11, "normal", "cluster " + m.cluster());
        }
    }

    private static void legend(StringBuilder b, RingModel m, OwnerColours colours) {
        double x = 640;
        double y = 60;
        text(b, x, y - 24, "start", 16, "bold", "owners");
        for (RingModel.Owner o : m.owners()) {
            if (o.removed()) {
                continue;
            }
            b.append("<g class=\"legend\" data-owner=\"").append(escape(o.name())).append("\">");
            swatch(b, x, y, colours.of(o.name()), !o.reachable());
            text(b, x + 26, y + 9, "start", 14, "bold", o.name() + (o.reachable() ? "" : "  unreachable!"));
            text(b, x + 26, y + 27, "start", 12, "normal", o.owned() + " addresses (" + percent(m.share(o.owned()))
                    + "), " + o.inUse() + " in use, " + o.ranges() + (o.ranges() == 1 ? " range" : " ranges"));
            b.append("</g>\n");
            y += 46;
        }
        if (m.hasGaps()) {
            long gap = m.arcs().stream().filter(RingModel.Arc::gap).mapToLong(RingModel.Arc::size).sum();
            b.append("<g class=\"legend gap\">");
            swatch(b, x, y, OwnerColours.GAP, false);
            b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 4))
                    .append("\" width=\"18\" height=\"18\" fill=\"url(#gap)\"/>");
            text(b, x + 26, y + 9, "start", 14, "bold", "gap: no live owner");
            text(b, x + 26, y + 27, "start", 12, "normal", gap + " addresses (" + percent(m.share(gap)) + ")");
            b.append("</g>\n");
            y += 46;
        }
        if (m.arcs().stream().anyMatch(RingModel.Arc::conflicted)) {
            b.append("<g class=\"legend conflict\"><rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 4))
                    .append("\" width=\"18\" height=\"18\" fill=\"").append(CONFLICT).append("\"/>");
            text(b, x + 26, y + 9, "start", 14, "bold", "conflict: two owners claim it");
            b.append("</g>\n");
            y += 46;
        }
        text(b, x, y + 10, "start", 11, "normal", "pale: owned · solid: in use · hatched: unreachable");
    }

    private static void swatch(StringBuilder b, double x, double y, String colour, boolean hatched) {
        b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 4))
                .append("\" width=\"18\" height=\"18\" fill=\"").append(colour).append("\"/>");
        if (hatched) {
            b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 4))
                    .append("\" width=\"18\" height=\"18\" fill=\"url(#unreachable)\"/>");
        }
    }

    private static void text(StringBuilder b, double x, double y, String anchor, int size, String weight,
            String s) {
        b.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" font-size=\"").append(size).append('"');
        if (!weight.equals("normal")) {
            b.append(" font-weight=\"").append(weight).append('"');
        }
        b.append('>').append(escape(s)).append("</text>");
    }
}

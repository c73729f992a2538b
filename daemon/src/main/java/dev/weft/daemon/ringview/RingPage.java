package dev.weft.daemon.ringview;

import static dev.weft.daemon.ringview.Markup.escape;
import static dev.weft.daemon.ringview.Markup.percent;

/**
 * The daemon's {@code /ring} page: the picture, a table per owner and per range, refreshing itself. Pure:
 * the model in, HTML out.
 */
public final class RingPage {
    /** The page reloads itself this often; the ring changes in seconds, not milliseconds. */
    public static final int REFRESH_SECONDS = 5;

    private RingPage() {}

    public static String render(RingModel m, String self) {
        StringBuilder b = head("weft ring — " + m.universe());
        b.append("<h1>weft ring <small>").append(escape(m.universe())).append(" · seen from ").append(escape(self))
                .append("</small></h1>\n");
        b.append(RingSvg.render(m));
        b.append("<h2>Owners</h2>\n<table><tr><th>peer</th><th>owned</th><th>share</th><th>in use</th>"
                + "<th>ranges</th><th>state</th></tr>\n");
        for (RingModel.Owner o : m.owners()) {
            b.append("<tr><td>").append(escape(o.name())).append("</td><td>").append(o.owned()).append("</td><td>")
                    .append(percent(m.share(o.owned()))).append("</td><td>").append(o.inUse()).append("</td><td>")
                    .append(o.ranges()).append("</td><td>")
                    .append(o.removed() ? "removed" : o.reachable() ? "reachable" : "<b>unreachable!</b>")
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Ranges</h2>\n<table><tr><th>range</th><th>owner</th><th>size</th><th>free</th>"
                + "<th>version</th><th>mark</th></tr>\n");
        for (RingModel.Arc a : m.arcs()) {
            b.append("<tr><td>").append(escape(a.range())).append("</td><td>").append(escape(a.owner()))
                    .append("</td><td>").append(a.size()).append("</td><td>").append(a.free()).append("</td><td>")
                    .append(a.version()).append("</td><td>")
                    .append(a.conflicted() ? "<b>conflict</b>" : a.gap() ? "gap" : a.reachable() ? "" : "unreachable")
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    /** While the ring forms there is nothing to draw: say what the peer waits for, and keep refreshing. */
    public static String forming(String self, String why) {
        return head("weft ring — forming").append("<h1>weft ring <small>seen from ").append(escape(self))
                .append("</small></h1>\n<p>The ring is still forming: ").append(escape(why))
                .append("</p>\n</body></html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(32_768).append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>").append(escape(title)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:1em 2em}small{color:#666;font-weight:normal}")
                .append("table{border-collapse:collapse;margin-bottom:1em}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}")
                .append("td:first-child,td:nth-child(2){text-align:left}")
                .append("</style></head><body>\n");
    }
}

package dev.weft.daemon.ringview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.daemon.api.v1.RingEntry;
import dev.weft.daemon.api.v1.RingReply;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The ring model's totals, and what the SVG and the page show for owners, unreachable peers, gaps and conflicts. */
class RingSvgTest {
    /** 10.0.0.0/24: a owns .0/26 (10 free), b owns .64/26 (unreachable, all free), c (removed) .128/26, a .192/26. */
    static RingReply sample(boolean conflict) {
        return RingReply.newBuilder().setCluster("abc123").setUniverse("10.0.0.0/24")
                .addEntries(entry("10.0.0.0", "10.0.0.64", "10.0.0.0/26", "a#1", 10, true, false))
                .addEntries(entry("10.0.0.64", "10.0.0.128", "10.0.0.64/26", "b<&>#2", 64, false, conflict))
                .addEntries(entry("10.0.0.128", "10.0.0.192", "10.0.0.128/26", "c#3", 64, false, false))
                .addEntries(entry("10.0.0.192", "10.0.1.0", "10.0.0.192/26", "a#1", 0, true, false))
                .addTombstones("c#3").build();
    }

    static RingEntry entry(String start, String end, String range, String owner, long free, boolean reachable,
            boolean conflicted) {
        return RingEntry.newBuilder().setStart(start).setEnd(end).setRange(range).setOwner(owner).setFree(free)
                .setVersion(3).setReachable(reachable).setConflicted(conflicted).build();
    }

    @Test
    void modelTotalsPerOwnerAndGaps() {
        RingModel m = RingModel.from(sample(false));
        assertThat(m.universeSize()).isEqualTo(256);
        assertThat(m.owners()).extracting(RingModel.Owner::name).containsExactly("a#1", "b<&>#2", "c#3");
        RingModel.Owner a = m.owners().get(0);
        assertThat(a.owned()).isEqualTo(128);
        assertThat(a.inUse()).isEqualTo(118);
        assertThat(a.ranges()).isEqualTo(2);
        assertThat(a.reachable()).isTrue();
        assertThat(m.owners().get(1).reachable()).isFalse();
        assertThat(m.owners().get(2).removed()).isTrue();
        assertThat(m.share(a.owned())).isEqualTo(0.5);
        assertThat(m.arcs()).filteredOn(RingModel.Arc::gap).singleElement()
                .satisfies(g -> assertThat(g.start()).isEqualTo(10L << 24 | 128));
    }

    @Test
    void spaceBeforeTheFirstTokenIsAGap() {
        RingReply r = RingReply.newBuilder().setUniverse("10.0.0.0/24")
                .addEntries(entry("10.0.0.128", "10.0.1.0", "10.0.0.128/25", "a#1", 128, true, false)).build();
        RingModel m = RingModel.from(r);
        assertThat(m.arcs()).hasSize(2);
        assertThat(m.arcs().get(0).gap()).isTrue();
        assertThat(m.arcs().get(0).size()).isEqualTo(128);
    }

    @Test
    void svgIsWellFormedAndShowsOwnersHatchingGapsAndConflicts() throws Exception {
        String svg = RingSvg.render(RingModel.from(sample(true)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList groups = doc.getElementsByTagName("g");
        int legendOwners = 0;
        boolean unreachableArc = false;
        boolean gapArc = false;
        boolean conflictArc = false;
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            String cls = g.getAttribute("class");
            if (cls.equals("legend")) {
                legendOwners++;
            }
            if (cls.startsWith("range")) {
                unreachableArc |= cls.contains("unreachable") && g.getAttribute("data-owner").equals("b<&>#2")
                        && g.getTextContent().contains("10.0.0.64/26")
                        && svgHas(g, "url(#unreachable)");
                gapArc |= cls.contains("gap") && svgHas(g, "url(#gap)");
                conflictArc |= cls.contains("conflict") && svgHas(g, "#D00000");
            }
        }
        assertThat(legendOwners).as("a and b in the legend; removed c is not an owner").isEqualTo(2);
        assertThat(unreachableArc).isTrue();
        assertThat(gapArc).isTrue();
        assertThat(conflictArc).isTrue();
        assertThat(svg).contains("b&lt;&amp;&gt;#2  unreachable!").contains("128 addresses (50.0%), 118 in use")
                .contains("gap: no live owner").contains("conflict: two owners claim it");
    }

    @Test
    void spaceAnEntryStopsShortOfIsAGapNamedAsReclaimGapTakesIt() {
        RingReply r = RingReply.newBuilder().setUniverse("10.0.0.0/24")
                .addEntries(entry("10.0.0.0", "10.0.0.64", "10.0.0.0/26", "a#1", 64, true, false))
                .addEntries(entry("10.0.0.128", "10.0.0.200", "10.0.0.128-10.0.0.199", "b#2", 72, true, false))
                .build();
        RingModel m = RingModel.from(r);
        assertThat(m.arcs()).filteredOn(RingModel.Arc::gap).extracting(RingModel.Arc::range)
                .containsExactly("10.0.0.64/26", "10.0.0.200-10.0.0.255");
        assertThat(m.arcs()).extracting(RingModel.Arc::size).containsExactly(64L, 64L, 72L, 56L);
        assertThat(m.owners()).extracting(RingModel.Owner::owned).containsExactly(64L, 72L);
        assertThat(RingSvg.render(m)).contains("gap: no live owner");
    }

    @Test
    void inUseFillGrowsWithUse() {
        String empty = RingSvg.render(RingModel.from(RingReply.newBuilder().setUniverse("10.0.0.0/24")
                .addEntries(entry("10.0.0.0", "10.0.1.0", "10.0.0.0/24", "a#1", 256, true, false)).build()));
        String half = RingSvg.render(RingModel.from(RingReply.newBuilder().setUniverse("10.0.0.0/24")
                .addEntries(entry("10.0.0.0", "10.0.1.0", "10.0.0.0/24", "a#1", 128, true, false)).build()));
        // One pale band when nothing is used; a second, solid band (outer radius 160 + 90/2) at half use.
        assertThat(count(arcs(empty), "<path")).isEqualTo(1);
        assertThat(count(arcs(half), "<path")).isEqualTo(2);
        assertThat(half).contains("A205.00 205.00");
    }

    @Test
    void pageHasPictureTablesAndRefresh() {
        String page = RingPage.render(RingModel.from(sample(false)), "a#1");
        assertThat(page).contains("<meta http-equiv=\"refresh\" content=\"5\">").contains("<svg")
                .contains("<td>b&lt;&amp;&gt;#2</td>").contains("<b>unreachable!</b>").contains("removed")
                .contains("<td>10.0.0.128/26</td>");
        assertThat(RingPage.forming("a#1", "quorum 2 of 3")).contains("still forming: quorum 2 of 3");
    }

    private static boolean svgHas(Element g, String fill) {
        NodeList paths = g.getElementsByTagName("path");
        for (int i = 0; i < paths.getLength(); i++) {
            if (((Element) paths.item(i)).getAttribute("fill").equals(fill)) {
                return true;
            }
        }
        return false;
    }

    /** The drawing after the pattern definitions. */
    private static String arcs(String svg) {
        return svg.substring(svg.indexOf("</defs>"));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}

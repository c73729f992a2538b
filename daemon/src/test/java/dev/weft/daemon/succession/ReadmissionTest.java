package dev.weft.daemon.succession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the readmit at start lists: the live sources, then the folder's own holds for what they do not name. */
class ReadmissionTest {
    static final Attachment MOVED = new Attachment("moved", "eth0");
    static final Attachment UNLISTED = new Attachment("unlisted", "eth0");
    static final Attachment NEW = new Attachment("new", "eth0", "storage");

    @Test
    void theSourcesWinAndTheFolderFillsInWhatTheyDoNotName() {
        List<Record> folder = List.of(new Record.Identity(new PeerId("n1", 1)),
                new Record.Cluster(new ClusterId("c"), new Range(0, 256)),
                new Record.Held(new Hold(MOVED, 10)), new Record.Held(new Hold(UNLISTED, 11)));
        Map<Attachment, Long> live = Map.of(MOVED, 20L, NEW, 21L);
        assertThat(Readmission.listed(live, folder)).isEqualTo(Map.of(MOVED, 20L, NEW, 21L, UNLISTED, 11L));
    }
}

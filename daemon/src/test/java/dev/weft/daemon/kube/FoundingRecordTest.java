package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoundingRecordTest {
    private static final Cidr RANGE = Cidr.parse("10.32.0.0/12");
    private static final PeerId FOUNDER = new PeerId("node-a", 0xfeedbeefcafeL);
    private static final FoundingRecord RECORD = new FoundingRecord(RANGE, FOUNDER,
            Instant.parse("2026-11-28T10:00:00Z"));

    @Test
    void roundTripsThroughConfigMapData() throws FoundingException {
        assertThat(FoundingRecord.fromData(RECORD.toData(), "cm")).isEqualTo(RECORD);
        PeerId negative = new PeerId("n", -5);
        var r = new FoundingRecord(RANGE, negative, Instant.EPOCH);
        assertThat(FoundingRecord.fromData(r.toData(), "cm").founder()).isEqualTo(negative);
    }

    @Test
    void onlyTheFoundingInstallFounds() throws FoundingException {
        assertThat(RECORD.bootstrapFor(FOUNDER, RANGE, "cm")).isEqualTo(new Bootstrap.Seeds(List.of("node-a")));
        assertThat(RECORD.bootstrapFor(new PeerId("node-b", 1), RANGE, "cm")).isInstanceOf(Bootstrap.Observer.class);
        // A new install on the founder's node (its data lost) joins; it never founds a second cluster.
        assertThat(RECORD.bootstrapFor(new PeerId("node-a", 2), RANGE, "cm")).isInstanceOf(Bootstrap.Observer.class);
    }

    @Test
    void anotherRangeIsRefusedSayingWhich() {
        assertThatThrownBy(() -> RECORD.bootstrapFor(FOUNDER, Cidr.parse("10.0.0.0/16"), "ConfigMap kube-system/x"))
                .isInstanceOf(FoundingException.class).hasMessageContaining("10.32.0.0/12")
                .hasMessageContaining("10.0.0.0/16").hasMessageContaining("ConfigMap kube-system/x");
    }

    @Test
    void damagedOrForeignRecordsAreRefusedNotGuessed() {
        for (String key : List.of("range", "founder", "founderInstall", "created")) {
            Map<String, String> d = new HashMap<>(RECORD.toData());
            d.remove(key);
            assertThatThrownBy(() -> FoundingRecord.fromData(d, "cm")).hasMessageContaining("'" + key + "'")
                    .hasMessageContaining("delete cm");
        }
        Map<String, String> bad = new HashMap<>(RECORD.toData());
        bad.put("founderInstall", "zz");
        assertThatThrownBy(() -> FoundingRecord.fromData(bad, "cm")).hasMessageContaining("damaged");
        bad.put("founderInstall", "1");
        bad.put("range", "10.32.0.0/99");
        assertThatThrownBy(() -> FoundingRecord.fromData(bad, "cm")).hasMessageContaining("damaged");
        assertThatThrownBy(() -> FoundingRecord.fromData(null, "cm")).isInstanceOf(FoundingException.class);
    }
}

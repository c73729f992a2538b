package dev.weft.core.space;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.Entropy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HoldTableTest {

    /** Against HashMap as the model, with heavy churn so that deletions shift long probe runs. */
    @Test
    void behavesLikeAMap() {
        HoldTable t = new HoldTable();
        Map<Attachment, Long> model = new HashMap<>();
        Entropy rnd = new Entropy(3);
        for (int step = 0; step < 200_000; step++) {
            Attachment a = new Attachment("c" + rnd.nextInt(5_000), rnd.nextInt(3) == 0 ? "net1" : "eth0");
            int dice = rnd.nextInt(3);
            if (dice == 0) {
                long v = rnd.nextLong(1L << 32);
                t.put(a, v);
                model.put(a, v);
            } else if (dice == 1) {
                Long was = model.remove(a);
                assertThat(t.remove(a)).isEqualTo(was == null ? -1 : was);
            } else {
                Long v = model.get(a);
                assertThat(t.get(a)).isEqualTo(v == null ? -1 : v);
            }
            assertThat(t.size()).isEqualTo(model.size());
        }
        Map<Attachment, Long> seen = new HashMap<>();
        t.forEach(seen::put);
        assertThat(seen).isEqualTo(model);
    }
}

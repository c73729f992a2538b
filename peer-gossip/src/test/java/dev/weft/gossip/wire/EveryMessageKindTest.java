package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Message;
import dev.weft.gossip.wire.proto.CoreMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A guard against drift: the core adds a message kind, and this fails until the wire carries it. Every kind
 * the sealed {@link Message} permits must come out of the seeded generator and survive encode, bytes and
 * decode equal, each on a proto case of its own.
 */
class EveryMessageKindTest {
    @Test
    void everyKindTheCorePermitsRoundTripsOnItsOwnProtoCase() throws Exception {
        Set<Class<?>> kinds = Set.of(Message.class.getPermittedSubclasses());
        Map<Class<?>, CoreMessage.KindCase> seen = new HashMap<>();
        Set<CoreMessage.KindCase> cases = new HashSet<>();
        for (long seed = 1; seed <= 2000 && seen.size() < kinds.size(); seed++) {
            Message m = new RandomMessages(seed).any();
            CoreMessage wire = CoreMessage.parseFrom(MessageEncoder.encode(m).toByteArray());
            assertThat(wire.getKindCase()).as("%s on the wire", m).isNotEqualTo(CoreMessage.KindCase.KIND_NOT_SET);
            assertThat(MessageDecoder.decode(wire)).as("seed %d", seed).isEqualTo(m);
            if (seen.putIfAbsent(m.getClass(), wire.getKindCase()) == null) {
                assertThat(cases.add(wire.getKindCase())).as("%s shares a proto case", m.getClass()).isTrue();
            }
        }
        assertThat(seen.keySet()).as("message kinds the generator (and so the wire tests) never produced")
                .containsExactlyInAnyOrderElementsOf(kinds);
    }
}

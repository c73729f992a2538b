package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.HostPort;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Nodes found after start are dialled once each, through fabric8's informer on the CRUD mock. */
class NodeSeedsTest {
    @Test
    void eachOtherNodeIsSeededOnceAsItAppears() throws Exception {
        try (MockApi api = new MockApi()) {
            var client = api.client();
            client.nodes().resource(MockApi.node("self", "10.0.0.1")).create();
            client.nodes().resource(MockApi.node("known", "10.0.0.2")).create();
            List<HostPort> dialled = new CopyOnWriteArrayList<>();
            try (NodeSeeds seeds = new NodeSeeds("self", 6790, List.of(new HostPort("10.0.0.2", 6790)), dialled::add)) {
                seeds.start(client);
                client.nodes().resource(MockApi.node("late", null)).create();
                client.nodes().withName("late").edit(n -> new NodeBuilder(n).withNewStatus().addNewAddress()
                        .withType("InternalIP").withAddress("10.0.0.3").endAddress().endStatus().build());
                long until = System.nanoTime() + 20_000_000_000L;
                while (dialled.isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                client.nodes().withName("late").edit(n -> new NodeBuilder(n).editMetadata()
                        .addToLabels("touched", "yes").endMetadata().build());
                Thread.sleep(500);
                assertThat(dialled).containsExactly(new HostPort("10.0.0.3", 6790));
            }
        }
    }
}

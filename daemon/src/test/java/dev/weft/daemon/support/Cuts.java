package dev.weft.daemon.support;

import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.daemon.TransportFactory;
import dev.weft.daemon.Transports;
import dev.weft.daemon.config.Settings;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.Transport;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Network cuts between in-process daemons without touching the network: each daemon's real gRPC transport
 * is wrapped so a test can drop the core messages to and from a peer (by name) and tell the core that peer is
 * down, as a partition would, or drop only one kind of message, then heal it. The links themselves stay up, so healing is immediate.
 */
public final class Cuts implements TransportFactory {
    private final Map<String, Cuttable> byName = new ConcurrentHashMap<>();

    @Override
    public Transport open(Settings settings, PeerId self, Supplier<ClusterId> cluster) throws IOException {
        Cuttable t = new Cuttable(Transports.grpc(settings, self, cluster));
        byName.put(settings.name(), t);
        return t;
    }

    /** The transport of the daemon named {@code name}. */
    public Cuttable of(String name) {
        Cuttable t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no daemon named " + name + " was started with these cuts");
        }
        return t;
    }

    /** One daemon's transport, with cuts toward peers named by name. */
    public static final class Cuttable implements Transport {
        private final Transport inner;
        /** Peers whose messages are dropped on arrival. */
        private final Set<String> deaf = ConcurrentHashMap.newKeySet();
        /** Peers the core is told are down, and whose messages are dropped on the way out. */
        private final Set<String> cut = ConcurrentHashMap.newKeySet();
        /** Peers whose real link is up (the inner transport's view). */
        private final Set<PeerId> linked = ConcurrentHashMap.newKeySet();
        /** Kinds of message dropped on the way to a peer. */
        private final Map<String, Set<Class<? extends Message>>> withheld = new ConcurrentHashMap<>();
        private volatile Listener listener;

        Cuttable(Transport inner) {
            this.inner = inner;
        }

        /** Both ways: nothing to or from {@code name}, and the core hears that it is down. */
        public void cut(String name) {
            deaf.add(name);
            cut.add(name);
            linked.stream().filter(p -> p.name().equals(name)).forEach(p -> listener.onPeerDown(p));
        }

        /** Drops every message of {@code kind} this daemon sends to {@code name}, until healed. */
        public void withhold(String name, Class<? extends Message> kind) {
            withheld.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(kind);
        }

        /** Sends {@code name} every kind of message again. */
        public void release(String name) {
            withheld.remove(name);
        }

        /** No cut toward {@code name} any more (what is withheld stays withheld). */
        public void heal(String name) {
            deaf.remove(name);
            restore(name);
        }

        private void restore(String name) {
            if (cut.remove(name)) {
                linked.stream().filter(p -> p.name().equals(name)).forEach(p -> listener.onPeerUp(p));
            }
        }

        @Override
        public void start(Listener to) throws IOException {
            listener = to;
            inner.start(new Listener() {
                @Override
                public void onMessage(PeerId from, Message message) {
                    if (!deaf.contains(from.name())) {
                        to.onMessage(from, message);
                    }
                }

                @Override
                public void onPeerUp(PeerId peer) {
                    linked.add(peer);
                    if (!cut.contains(peer.name())) {
                        to.onPeerUp(peer);
                    }
                }

                @Override
                public void onPeerDown(PeerId peer) {
                    linked.remove(peer);
                    if (!cut.contains(peer.name())) {
                        to.onPeerDown(peer);
                    }
                }
            });
        }

        @Override
        public void send(PeerId to, Message message) {
            if (!cut.contains(to.name()) && !withheld.getOrDefault(to.name(), Set.of()).contains(message.getClass())) {
                inner.send(to, message);
            }
        }

        @Override
        public void addSeed(HostPort address) {
            inner.addSeed(address);
        }

        @Override
        public Map<PeerId, Long> lastHeard() {
            return inner.lastHeard();
        }

        @Override
        public Map<PeerId, HostPort> addresses() {
            return inner.addresses();
        }

        @Override
        public Map<String, Long> counters() {
            return inner.counters();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}

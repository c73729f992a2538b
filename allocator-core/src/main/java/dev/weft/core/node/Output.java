package dev.weft.core.node;

import java.util.ArrayList;
import java.util.List;

/**
 * What one step asks the driver to do, in this order: make {@code persist} durable (one atomic write),
 * then send {@code send}, then deliver {@code replies}. Nothing leaves a peer before what it depends on is
 * on disk.
 */
public record Output(List<Record> persist, List<Envelope> send, List<Reply> replies, List<Alarm> alarms) {

    public boolean isEmpty() {
        return persist.isEmpty() && send.isEmpty() && replies.isEmpty() && alarms.isEmpty();
    }

    /** Collects one step's effects. */
    static final class Builder {
        final List<Record> persist = new ArrayList<>();
        final List<Envelope> send = new ArrayList<>();
        final List<Reply> replies = new ArrayList<>();
        final List<Alarm> alarms = new ArrayList<>();

        void persist(Record r) {
            persist.add(r);
        }

        void send(dev.weft.core.peer.PeerId to, Message m) {
            send.add(new Envelope(to, m));
        }

        void reply(long id, Result r) {
            replies.add(new Reply(id, r));
        }

        Output build() {
            return new Output(List.copyOf(persist), List.copyOf(send), List.copyOf(replies), List.copyOf(alarms));
        }
    }
}

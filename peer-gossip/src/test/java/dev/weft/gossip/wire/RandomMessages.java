package dev.weft.gossip.wire;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Seeded random core messages of every kind, each one the core itself accepts. */
final class RandomMessages {
    private final SplittableRandom r;

    RandomMessages(long seed) {
        this.r = new SplittableRandom(seed);
    }

    Message any() {
        return switch (r.nextInt(15)) {
            case 0 -> new Message.Digest(r.nextBoolean() ? null : cluster(), r.nextLong());
            case 1 -> new Message.Gossip(piece(), r.nextLong(), r.nextBoolean());
            case 2 -> spaceRequest();
            case 3 -> new Message.SpaceGrant(r.nextLong(), piece());
            case 4 -> new Message.SpaceDenied(r.nextLong(), r.nextBoolean() ? "" : "no space left in 10.32.0.0/12 \u00e9", r.nextBoolean());
            case 5 -> new Message.Prepare(ballot());
            case 6 -> r.nextBoolean() ? new Message.Promise(ballot(), null, null) : new Message.Promise(ballot(), ballot(), members());
            case 7 -> new Message.Accept(ballot(), members());
            case 8 -> new Message.Accepted(ballot());
            case 9 -> handOver();
            case 10 -> new Message.GapQuery(r.nextLong(), range());
            case 11 -> new Message.GapAnswer(r.nextLong(), r.nextBoolean());
            case 12 -> segmentDigests();
            case 13 -> new Message.SegmentEntries(piece(), r.nextLong(), indexes(Segments.LEAVES), r.nextBoolean());
            default -> new Message.Nack(ballot(), r.nextBoolean() ? null : ballot());
        };
    }

    /** Top digests, or leaf digests under a few top segments. */
    Message.SegmentDigests segmentDigests() {
        List<Integer> under = r.nextBoolean() ? List.of() : indexes(Segments.TOPS);
        List<Long> digests = new ArrayList<>();
        for (int i = under.isEmpty() ? Segments.TOPS : under.size() * Segments.FANOUT; i > 0; i--) {
            digests.add(r.nextLong());
        }
        return new Message.SegmentDigests(cluster(), r.nextLong(), under, digests);
    }

    /** Distinct increasing indexes below {@code bound}, at least one. */
    List<Integer> indexes(int bound) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 1 + r.nextInt(6); i > 0; i--) {
            out.add(r.nextInt(bound));
        }
        return new ArrayList<>(out);
    }

    Message.HandOver handOver() {
        List<Hold> holds = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            holds.add(new Hold(attachment(), r.nextLong(1L << 32)));
        }
        List<PeerId> awaited = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            awaited.add(peer());
        }
        return new Message.HandOver(holds, awaited);
    }

    /** Container ids of any characters (they are length-counted on the wire), on one of a few networks. */
    Attachment attachment() {
        String id = r.nextBoolean() ? Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong())
                : "pod/\u00e9 " + r.nextInt(1000);
        String network = switch (r.nextInt(3)) {
            case 0 -> Attachment.DEFAULT_NETWORK;
            case 1 -> "storage-net.v2";
            default -> "n" + r.nextInt(100);
        };
        return new Attachment(id, r.nextBoolean() ? "eth0" : "net" + r.nextInt(4), network);
    }

    Range range() {
        long start = r.nextLong(1L << 32);
        return new Range(start, start + 1 + r.nextLong(1L << 16));
    }

    Message.SpaceRequest spaceRequest() {
        long start = r.nextLong(1L << 32);
        if (r.nextBoolean()) {
            return new Message.SpaceRequest(r.nextLong(), new Range(start, start + 1), true);
        }
        return new Message.SpaceRequest(r.nextLong(), new Range(start, start + r.nextLong(1L << 20)), false);
    }

    RingPiece piece() {
        long start = r.nextLong(1L << 31);
        long size = 16 + r.nextLong(1L << 24);
        Range universe = new Range(start, start + size);
        int n = r.nextInt(20);
        TreeSet<Long> tokens = new TreeSet<>();
        boolean complete = r.nextBoolean();
        if (complete) {
            tokens.add(start);
            n = Math.max(n, 1);
        }
        while (tokens.size() < n) {
            tokens.add(start + r.nextLong(size));
        }
        List<Entry> entries = new ArrayList<>();
        for (long t : tokens) {
            Long next = tokens.higher(t);
            long end = next != null ? next : universe.end();
            long version = 1 + r.nextLong(1_000_000);
            if (r.nextInt(10) == 0) {
                List<Claim> claims = new ArrayList<>();
                int k = 2 + r.nextInt(2);
                for (int i = 0; i < k; i++) {
                    claims.add(new Claim(peer(), r.nextLong(end - t + 1), t + 1 + r.nextLong(end - t), r.nextBoolean()));
                }
                entries.add(Entry.ofClaims(t, version, claims));
            } else {
                entries.add(Entry.of(t, version, peer(), r.nextLong(end - t + 1), end));
            }
        }
        TreeSet<PeerId> tombstones = new TreeSet<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            tombstones.add(peer());
        }
        return new RingPiece(cluster(), universe, entries, tombstones, complete);
    }

    PeerId peer() {
        return new PeerId("node-" + r.nextInt(5000) + (r.nextBoolean() ? ".example.org" : ""), r.nextLong());
    }

    ClusterId cluster() {
        return new ClusterId(Long.toHexString(r.nextLong()) + "-" + r.nextInt(100));
    }

    Ballot ballot() {
        return new Ballot(r.nextLong(1L << 40), peer());
    }

    List<PeerId> members() {
        List<PeerId> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(8); i > 0; i--) {
            out.add(peer());
        }
        return out;
    }
}

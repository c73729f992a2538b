package dev.weft.core.peer;

/**
 * One install of a peer: the name its operator gave it (usually the node name) and a unique id drawn when
 * its data folder was created. A peer that loses its data comes back with a new uid, so it can never be
 * mistaken for its old self; a tombstone names the exact install that was removed.
 */
public record PeerId(String name, long uid) implements Comparable<PeerId> {

    public PeerId {
        if (name == null || name.isEmpty() || name.length() > 253) {
            throw new IllegalArgumentException("a peer name must be 1 to 253 characters, got '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("peer name '" + name + "' has a space or non-ASCII character at " + i
                        + ": use the node name (letters, digits, '-', '.', '_')");
            }
        }
    }

    /** The uid first: it tells two installs apart in one comparison, before the name is read. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof PeerId p && p.uid == uid && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(uid) * 31 + name.hashCode();
    }

    @Override
    public int compareTo(PeerId o) {
        int c = name.compareTo(o.name);
        return c != 0 ? c : Long.compareUnsigned(uid, o.uid);
    }

    /** A stable 64-bit hash (the same in every JVM), used by ring digests. */
    public long stableHash() {
        return Mix.mix(name.hashCode() * 0x9E3779B97F4A7C15L ^ uid);
    }

    @Override
    public String toString() {
        return name + "#" + Long.toHexString(uid);
    }
}

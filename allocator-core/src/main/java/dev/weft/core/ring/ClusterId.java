package dev.weft.core.ring;

/**
 * The identity of one bootstrap of a cluster, fixed when its first ring is made and carried by every ring
 * and every piece of one. Two rings with different identities come from different bootstraps and never
 * merge.
 */
public record ClusterId(String value) {
    public ClusterId {
        if (value == null || value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("a cluster id is 1 to 64 characters, got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.weft.core.address;

/** A CIDR block such as {@code 10.32.0.0/12}: a base address with no host bits set, and a prefix length. */
public record Cidr(long base, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > IPv4.BITS) {
            throw new BadAddressException("prefix /" + prefix + " is out of range: an IPv4 prefix is /0 to /32");
        }
        if (base < 0 || base >= IPv4.SIZE) {
            throw new BadAddressException("base " + base + " is not an IPv4 address");
        }
        if ((base & (size(prefix) - 1)) != 0) {
            long network = base & ~(size(prefix) - 1);
            throw new BadAddressException(IPv4.format(base) + "/" + prefix + " has host bits set: did you mean "
                    + IPv4.format(network) + "/" + prefix + "?");
        }
    }

    /** Parses {@code a.b.c.d/n}; host bits must be zero, so a typo is caught rather than silently widened. */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadAddressException("a CIDR is required, got nothing (write it like 10.32.0.0/12)");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new BadAddressException("'" + text + "' is not a CIDR: it has no /prefix (write it like 10.32.0.0/12)");
        }
        long base = IPv4.parse(text.substring(0, slash));
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(Character::isDigit)) {
            throw new BadAddressException("'" + text + "' has a bad prefix '/" + p + "': use a number 0 to 32");
        }
        return new Cidr(base, Integer.parseInt(p));
    }

    public static Cidr of(Range aligned) {
        if (!aligned.isAligned()) {
            throw new IllegalArgumentException(aligned + " is not a CIDR block");
        }
        return new Cidr(aligned.start(), IPv4.BITS - Long.numberOfTrailingZeros(aligned.size()));
    }

    private static long size(int prefix) {
        return 1L << (IPv4.BITS - prefix);
    }

    public long size() {
        return size(prefix);
    }

    public Range range() {
        return new Range(base, base + size());
    }

    /**
     * The addresses a host may hold: all of them but the network and broadcast addresses, except for /31
     * and /32 where every address is usable (RFC 3021).
     */
    public Range hosts() {
        return prefix >= 31 ? range() : new Range(base + 1, base + size() - 1);
    }

    @Override
    public String toString() {
        return IPv4.format(base) + "/" + prefix;
    }
}

package dev.weft.core.address;

/**
 * IPv4 text to and from unsigned offsets. Every address in weft is a {@code long} offset in an unsigned
 * space; this class is the only place that knows the space is 32 bits wide, so that an IPv6 universe
 * (held as offsets from its base, which fit a long for any prefix of /65 or longer) can follow by adding
 * its own parser and printer beside this one.
 */
public final class IPv4 {
    public static final int BITS = 32;
    public static final long SIZE = 1L << BITS;

    private IPv4() {}

    /** Parses dotted-quad text such as {@code 10.32.0.1}; anything else is a {@link BadAddressException}. */
    public static long parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new BadAddressException("an IPv4 address is required, got nothing (write it like 10.32.0.1)");
        }
        long value = 0;
        int octets = 0;
        int i = 0;
        while (i <= text.length()) {
            int start = i;
            int octet = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                if (i - start >= 3 || octet > 255) {
                    throw bad(text);
                }
                i++;
            }
            if (i == start) {
                throw bad(text);
            }
            value = (value << 8) | octet;
            octets++;
            if (i == text.length()) {
                break;
            }
            if (text.charAt(i) != '.' || octets == 4) {
                throw bad(text);
            }
            i++;
        }
        if (octets != 4) {
            throw bad(text);
        }
        return value;
    }

    public static String format(long address) {
        if (address < 0 || address >= SIZE) {
            throw new IllegalArgumentException("not an IPv4 offset: " + address);
        }
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    private static BadAddressException bad(String text) {
        return new BadAddressException("'" + text + "' is not an IPv4 address (write four numbers 0-255 with dots, like 10.32.0.1)");
    }
}

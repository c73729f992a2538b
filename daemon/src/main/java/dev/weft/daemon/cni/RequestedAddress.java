package dev.weft.daemon.cni;

import dev.weft.core.address.BadAddressException;
import dev.weft.core.address.IPv4;

/** Reads an address a runtime asks for: {@code 10.32.0.5} or {@code 10.32.0.5/12} (the prefix is not used). */
final class RequestedAddress {
    private RequestedAddress() {}

    /** @throws CniError with {@code code} naming {@code where} when the text is not an IPv4 address */
    static long parse(String text, String where, int code) throws CniError {
        String address = text;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            String prefix = text.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(prefix) > IPv4.BITS) {
                throw new CniError(code, where + " '" + CniEnv.printable(text) + "' has a bad prefix",
                        "write an IPv4 address such as 10.32.0.5, optionally with /prefix 0 to 32");
            }
            address = text.substring(0, slash);
        }
        try {
            return IPv4.parse(address);
        } catch (BadAddressException e) {
            throw new CniError(code, where + " '" + CniEnv.printable(text) + "' is not an IPv4 address",
                    e.getMessage());
        }
    }
}

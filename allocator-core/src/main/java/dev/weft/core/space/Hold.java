package dev.weft.core.space;

import dev.weft.core.address.IPv4;

/** An address and the attachment that holds it. */
public record Hold(Attachment attachment, long address) {
    @Override
    public String toString() {
        return attachment + "=" + IPv4.format(address);
    }
}

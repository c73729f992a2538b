package dev.weft.daemon.kube;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Who founded the cluster, as the founding ConfigMap records it: created once, with create semantics, by
 * the first daemon that found none, and never changed. A Lease could not do this: a holder that dies
 * before its ring spreads lets the next holder found a second cluster. The creator founds alone, owning the
 * whole range; every other install joins as an observer and asks for space.
 *
 * @param range the cluster's address space
 * @param founder the install that created the record
 * @param created when it was created (for people reading it)
 */
public record FoundingRecord(Cidr range, PeerId founder, Instant created) {
    static final String RANGE = "range";
    static final String FOUNDER = "founder";
    static final String FOUNDER_INSTALL = "founderInstall";
    static final String CREATED = "created";

    public Map<String, String> toData() {
        return Map.of(RANGE, range.toString(), FOUNDER, founder.name(), FOUNDER_INSTALL,
                Long.toHexString(founder.uid()), CREATED, created.toString());
    }

    /**
     * Reads a record someone wrote; {@code where} names the ConfigMap in the error.
     *
     * @throws FoundingException when a field is missing or not what weft writes: the record is not to be
     *                           guessed at, since acting on a wrong one could found a second cluster
     */
    public static FoundingRecord fromData(Map<String, String> data, String where) throws FoundingException {
        Map<String, String> d = data == null ? Map.of() : data;
        String fix = ". It is not a record weft wrote: if no node of this cluster holds space yet (weft status on"
                + " each node shows no ring), delete " + where + " and restart the weft pods; otherwise restore it";
        for (String key : List.of(RANGE, FOUNDER, FOUNDER_INSTALL, CREATED)) {
            if (d.get(key) == null || d.get(key).isBlank()) {
                throw new FoundingException(where + " has no '" + key + "'" + fix);
            }
        }
        try {
            Cidr range = Cidr.parse(d.get(RANGE).trim());
            PeerId founder = new PeerId(d.get(FOUNDER).trim(), Long.parseUnsignedLong(d.get(FOUNDER_INSTALL).trim(), 16));
            return new FoundingRecord(range, founder, Instant.parse(d.get(CREATED).trim()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new FoundingException(where + " is damaged (" + e.getMessage() + ")" + fix);
        }
    }

    /**
     * How an install with no ring yet starts, given this record: the founder founds alone; every other
     * install, including a new install on the founder's node (its data lost), joins as an observer.
     *
     * @throws FoundingException when the record's range is not {@code configured}: the two daemons would
     *                           never agree on one ring
     */
    public Bootstrap bootstrapFor(PeerId self, Cidr configured, String where) throws FoundingException {
        if (!range.equals(configured)) {
            throw new FoundingException("this cluster was founded with range " + range + " (" + where + ", by "
                    + founder + "), but this weftd is configured with --range " + configured + ": give every weftd"
                    + " the same --range (WEFT_RANGE), " + range + ". To start the cluster over with the other range,"
                    + " delete the founding ConfigMap and every node's data folder first");
        }
        return founder.equals(self) ? new Bootstrap.Seeds(List.of(self.name())) : new Bootstrap.Observer();
    }
}

package dev.weft.core.space;

/**
 * What holds an address: one interface of one container, as CNI names it (container id + interface
 * name). The same attachment asking twice gets the same address back. Its hash is computed once: a busy
 * node looks attachments up on every add and delete.
 */
public final class Attachment {
    public static final int MAX_ID = 1024;

    private final String containerId;
    private final String ifname;
    private final int hash;

    public Attachment(String containerId, String ifname) {
        if (containerId == null || containerId.isEmpty() || containerId.length() > MAX_ID) {
            throw new IllegalArgumentException("a container id must be 1 to " + MAX_ID + " characters, got "
                    + (containerId == null ? "none" : containerId.length()));
        }
        if (ifname == null || ifname.isEmpty() || ifname.length() > 255) {
            throw new IllegalArgumentException("an interface name must be 1 to 255 characters, got "
                    + (ifname == null ? "none" : "'" + ifname + "'"));
        }
        this.containerId = containerId;
        this.ifname = ifname;
        this.hash = containerId.hashCode() * 31 + ifname.hashCode();
    }

    public String containerId() {
        return containerId;
    }

    public String ifname() {
        return ifname;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Attachment a && a.hash == hash && a.containerId.equals(containerId)
                && a.ifname.equals(ifname);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return containerId + "/" + ifname;
    }
}

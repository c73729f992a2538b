package dev.weft.core.space;

/**
 * What holds an address: one interface of one container, as CNI names it (container id + interface
 * name). The same attachment asking twice gets the same address back.
 */
public record Attachment(String containerId, String ifname) {
    public static final int MAX_ID = 1024;

    public Attachment {
        if (containerId == null || containerId.isEmpty() || containerId.length() > MAX_ID) {
            throw new IllegalArgumentException("a container id must be 1 to " + MAX_ID + " characters, got "
                    + (containerId == null ? "none" : containerId.length()));
        }
        if (ifname == null || ifname.isEmpty() || ifname.length() > 255) {
            throw new IllegalArgumentException("an interface name must be 1 to 255 characters, got "
                    + (ifname == null ? "none" : "'" + ifname + "'"));
        }
    }

    @Override
    public String toString() {
        return containerId + "/" + ifname;
    }
}

package dev.weft.core.space;

import java.util.regex.Pattern;

/**
 * What holds an address: one interface of one container on one CNI network, as CNI names it (container
 * id + interface name + network name). The same attachment asking twice gets the same address back. The
 * network is part of the identity because one node may serve several CNI networks from the same daemon:
 * a GC or a container release on one network must never free a pod's address on another (issue 9).
 * Its hash is computed once: a busy node looks attachments up on every add and delete.
 */
public final class Attachment {
    public static final int MAX_ID = 1024;
    public static final int MAX_NETWORK = 255;
    /**
     * The network of attachments made without one: the name weft's own CNI configuration uses
     * ({@code "name": "weft"} in the conflist), so callers that know of one network only keep working.
     */
    public static final String DEFAULT_NETWORK = "weft";
    /** The network names libcni accepts (its ValidateNetworkName); also keeps '/' out of record keys. */
    private static final Pattern NETWORK = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    private final String containerId;
    private final String ifname;
    private final String network;
    private final int hash;

    /** An attachment on the {@link #DEFAULT_NETWORK default network}. */
    public Attachment(String containerId, String ifname) {
        this(containerId, ifname, DEFAULT_NETWORK);
    }

    public Attachment(String containerId, String ifname, String network) {
        if (containerId == null || containerId.isEmpty() || containerId.length() > MAX_ID) {
            throw new IllegalArgumentException("a container id must be 1 to " + MAX_ID + " characters, got "
                    + (containerId == null ? "none" : containerId.length()));
        }
        if (ifname == null || ifname.isEmpty() || ifname.length() > 255) {
            throw new IllegalArgumentException("an interface name must be 1 to 255 characters, got "
                    + (ifname == null ? "none" : "'" + ifname + "'"));
        }
        checkNetwork(network);
        this.containerId = containerId;
        this.ifname = ifname;
        this.network = network;
        this.hash = (containerId.hashCode() * 31 + ifname.hashCode()) * 31 + network.hashCode();
    }

    /** Throws a clear error unless {@code network} is a CNI network name. */
    public static String checkNetwork(String network) {
        if (network == null || network.isEmpty() || network.length() > MAX_NETWORK
                || !NETWORK.matcher(network).matches()) {
            throw new IllegalArgumentException("a CNI network name must be 1 to " + MAX_NETWORK + " characters of"
                    + " letters, digits, '_', '.' and '-', starting with a letter or digit (the \"name\" of the CNI"
                    + " configuration), got " + (network == null ? "none" : "'" + network + "'"));
        }
        return network;
    }

    public String containerId() {
        return containerId;
    }

    public String ifname() {
        return ifname;
    }

    /** The CNI network name (the "name" field of the network configuration). */
    public String network() {
        return network;
    }

    /** True when this is {@code containerId}'s attachment on {@code network}. */
    public boolean of(String containerId, String network) {
        return this.containerId.equals(containerId) && this.network.equals(network);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Attachment a && a.hash == hash && a.containerId.equals(containerId)
                && a.ifname.equals(ifname) && a.network.equals(network);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code container/ifname}, with {@code @network} after it unless on the default network. */
    @Override
    public String toString() {
        return containerId + "/" + ifname + (network.equals(DEFAULT_NETWORK) ? "" : "@" + network);
    }
}

package dev.weft.daemon.succession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.address.BadAddressException;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.space.Attachment;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libcni's result cache read as "which attachment on this node holds which address of weft's". libcni (under
 * containerd, CRI-O, and every runtime that uses it) writes one file per attachment after a successful ADD and
 * removes it on DEL: {@code <cacheDir>/results/<network>-<containerId>-<ifName>}, JSON of kind
 * {@code cniCacheV1} with {@code containerId}, {@code ifName}, {@code networkName}, {@code config} (the network
 * configuration's bytes, base64) and {@code result} (the CNI result the chain printed). It lives outside weft's
 * data folder, so it outlives a wiped folder together with the pods it describes.
 *
 * <p>A file counts as weft's when its configuration names {@code weft-ipam} as IPAM (a file without a
 * configuration counts when its network is weft's default, {@value Attachment#DEFAULT_NETWORK}), and only
 * addresses inside weft's universe are taken. Nothing here throws for a bad file: each is reported in the
 * {@link Scan} and the rest are still read, because one corrupt file must not leave every other pod unprotected.
 */
public final class ResultsCache {
    /** libcni's kind for the cache format it has written since v0.8. */
    static final String KIND = "cniCacheV1";
    static final String IPAM_TYPE = "weft-ipam";
    /** A result file is a few kilobytes; anything far bigger is not one. */
    static final long MAX_FILE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one read of the folder found.
     *
     * @param holds attachment to address, for weft's attachments on this node
     * @param files result files looked at
     * @param otherNetworks files of networks weft does not serve (ignored, as they should be)
     * @param outside addresses of weft's networks outside weft's universe (ignored)
     * @param problems one line per file that could not be used, naming it and why
     */
    public record Scan(Map<Attachment, Long> holds, int files, int otherNetworks, int outside, List<String> problems) {
        public Scan {
            holds = Map.copyOf(holds);
            problems = List.copyOf(problems);
        }

        public String summary() {
            return holds.size() + " attachment(s) of weft's from " + files + " file(s), " + otherNetworks
                    + " of other networks, " + outside + " address(es) outside weft's range, " + problems.size()
                    + " unusable";
        }
    }

    private final Path dir;
    private final Cidr universe;

    /**
     * @param dir libcni's results folder ({@code /var/lib/cni/results} by default)
     * @param universe weft's address space: addresses outside it belong to someone else
     */
    public ResultsCache(Path dir, Cidr universe) {
        this.dir = dir;
        this.universe = universe;
    }

    public Path dir() {
        return dir;
    }

    /** Reads every file; a missing folder is a node that never ran a pod through libcni: nothing to hold. */
    public Scan read() {
        Map<Attachment, Long> holds = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int[] counts = new int[3]; // files, other networks, outside
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(".") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // libcni writes plain files only; a temporary or foreign entry is not a result
                }
                counts[0]++;
                try {
                    readOne(f, holds, counts);
                } catch (Unusable e) {
                    problems.add(f.getFileName() + ": " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            return new Scan(holds, 0, 0, 0, problems);
        } catch (IOException | RuntimeException e) {
            problems.add("the folder " + dir + " could not be listed (" + e + "): check that weftd may read it");
        }
        return new Scan(holds, counts[0], counts[1], counts[2], problems);
    }

    private void readOne(Path f, Map<Attachment, Long> holds, int[] counts) throws Unusable {
        JsonNode root;
        try {
            if (Files.size(f) > MAX_FILE) {
                throw new Unusable("larger than " + MAX_FILE + " bytes, so not a libcni result");
            }
            root = JSON.readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new Unusable("not readable JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Unusable("not a JSON object");
        }
        if (!KIND.equals(root.path("kind").asText(null))) {
            throw new Unusable("kind is '" + root.path("kind").asText("") + "', not " + KIND);
        }
        String network = text(root, "networkName");
        if (!servedByWeft(root, network)) {
            counts[1]++;
            return;
        }
        Attachment attachment;
        try {
            attachment = new Attachment(text(root, "containerId"), text(root, "ifName"), network);
        } catch (IllegalArgumentException e) {
            throw new Unusable(e.getMessage());
        }
        long found = -1;
        for (String cidr : addresses(root.path("result"))) {
            long address;
            try {
                address = IPv4.parse(cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr);
            } catch (BadAddressException e) {
                if (cidr.contains(":")) {
                    continue; // IPv6: weft's universe is IPv4
                }
                throw new Unusable("address '" + cidr + "' is not an IP address");
            }
            if (!universe.range().contains(address)) {
                counts[2]++;
            } else if (found < 0) {
                found = address;
            } else if (found != address) {
                throw new Unusable("names two addresses of weft's (" + IPv4.format(found) + " and "
                        + IPv4.format(address) + "), but weft gives one per attachment");
            }
        }
        if (found >= 0) {
            holds.put(attachment, found);
        }
    }

    /** The configuration says weft-ipam (a list's plugins or a single plugin); without one, the default name. */
    private static boolean servedByWeft(JsonNode root, String network) throws Unusable {
        JsonNode config = root.get("config");
        if (config == null || config.isNull()) {
            return network.equals(Attachment.DEFAULT_NETWORK);
        }
        JsonNode conf;
        try {
            conf = JSON.readTree(Base64.getDecoder().decode(config.asText()));
        } catch (IllegalArgumentException | IOException e) {
            throw new Unusable("config is not base64 of a JSON network configuration");
        }
        if (conf == null || !conf.isObject()) {
            throw new Unusable("config is not a JSON network configuration");
        }
        if (conf.path("plugins").isArray()) {
            for (JsonNode plugin : conf.get("plugins")) {
                if (IPAM_TYPE.equals(plugin.path("ipam").path("type").asText(null))) {
                    return true;
                }
            }
            return false;
        }
        return IPAM_TYPE.equals(conf.path("ipam").path("type").asText(null));
    }

    /** CNI 0.3.0 and later: result.ips[].address; 0.1.0 and 0.2.0: result.ip4.ip. */
    private static List<String> addresses(JsonNode result) throws Unusable {
        if (!result.isObject()) {
            throw new Unusable("has no result object");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode ip : result.path("ips")) {
            out.add(textOf(ip.get("address"), "result.ips[].address"));
        }
        if (result.has("ip4")) {
            out.add(textOf(result.path("ip4").get("ip"), "result.ip4.ip"));
        }
        return out;
    }

    private static String text(JsonNode root, String field) throws Unusable {
        return textOf(root.get(field), field);
    }

    private static String textOf(JsonNode node, String field) throws Unusable {
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new Unusable(field + " is missing or not a string");
        }
        return node.asText();
    }

    /** One file that cannot be used, and why. */
    private static final class Unusable extends Exception {
        Unusable(String why) {
            super(why, null, false, false);
        }
    }
}

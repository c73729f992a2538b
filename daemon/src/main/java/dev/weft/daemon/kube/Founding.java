package dev.weft.daemon.kube;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the founding ConfigMap, or creates it when absent. Creation is the fence: the API server lets
 * exactly one create succeed and answers every other with 409, whose sender then reads the winner's record.
 * Run only by an install whose store has no ring yet, after its identity is on disk (so a founder that
 * crashes right after creating the record comes back as the same install and still founds).
 */
public final class Founding {
    private static final Logger LOG = LoggerFactory.getLogger(Founding.class);

    private final KubernetesClient client;
    private final KubeSettings kube;
    private final int attempts;
    private final Duration pause;

    /**
     * @param attempts how often to ask an API server that does not answer before giving up
     * @param pause the wait before the second attempt, doubled each time
     */
    public Founding(KubernetesClient client, KubeSettings kube, int attempts, Duration pause) {
        this.client = client;
        this.kube = kube;
        this.attempts = attempts;
        this.pause = pause;
    }

    public Founding(KubernetesClient client, KubeSettings kube) {
        this(client, kube, 6, Duration.ofSeconds(1));
    }

    private String where() {
        return "ConfigMap " + kube.namespace() + "/" + kube.foundingConfigMap();
    }

    /** How {@code self}, which has no ring, starts: founder of a new cluster, or observer of this one. */
    public Bootstrap bootstrap(PeerId self, Cidr range) throws FoundingException {
        FoundingRecord record = readOrCreate(self, range);
        Bootstrap b = record.bootstrapFor(self, range, where());
        if (b instanceof Bootstrap.Seeds) {
            LOG.info("{} names this install as the founder: founding the cluster over {} alone", where(), range);
        } else if (record.founder().name().equals(self.name())) {
            LOG.warn("{} names install {} of this node as the founder, but this data folder is a new install ({}):"
                    + " joining as an observer. If no node holds space yet (weft status shows no ring anywhere), the"
                    + " founder's data is gone before the cluster formed: delete {} and restart this pod", where(),
                    record.founder(), self, where());
        } else {
            LOG.info("{} names {} as the founder (since {}): joining as an observer", where(), record.founder(),
                    record.created());
        }
        return b;
    }

    private FoundingRecord readOrCreate(PeerId self, Cidr range) throws FoundingException {
        KubernetesClientException last = null;
        long wait = pause.toMillis();
        for (int i = 0; i < attempts; i++) {
            if (i > 0) {
                sleep(wait);
                wait *= 2;
            }
            try {
                return once(self, range);
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN || e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
                    throw new FoundingException("the API server refuses weftd access to " + where() + " ("
                            + e.getCode() + "): give its ServiceAccount get and create on configmaps in namespace "
                            + kube.namespace() + " (see deploy/)", e);
                }
                last = e;
                LOG.warn("asking the API server for {} failed ({}); {} attempts left", where(), e.getMessage(),
                        attempts - i - 1);
            }
        }
        throw new FoundingException("cannot read or create " + where() + " (" + (last == null ? "no attempt"
                : last.getMessage()) + "): a new install cannot know whether to found the cluster or join it without"
                + " the API server. Check that it is reachable from this node; weftd exits so it is restarted", last);
    }

    private FoundingRecord once(PeerId self, Cidr range) throws FoundingException {
        ConfigMap found = client.configMaps().inNamespace(kube.namespace()).withName(kube.foundingConfigMap()).get();
        if (found != null) {
            return FoundingRecord.fromData(found.getData(), where());
        }
        FoundingRecord mine = new FoundingRecord(range, self, Instant.now());
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(kube.foundingConfigMap())
                .withNamespace(kube.namespace()).addToLabels("app.kubernetes.io/name", "weft").endMetadata()
                .withData(mine.toData()).build();
        try {
            client.configMaps().inNamespace(kube.namespace()).resource(cm).create();
            LOG.info("created {}: this install founds the cluster", where());
            return mine;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        // Another daemon created it between our read and our create: its record is the one.
        ConfigMap winner = client.configMaps().inNamespace(kube.namespace()).withName(kube.foundingConfigMap()).get();
        if (winner == null) {
            throw new KubernetesClientException(where() + " was created by another daemon and deleted again before"
                    + " it could be read");
        }
        return FoundingRecord.fromData(winner.getData(), where());
    }

    private static void sleep(long millis) throws FoundingException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FoundingException("interrupted while asking the API server for the founding record", e);
        }
    }
}

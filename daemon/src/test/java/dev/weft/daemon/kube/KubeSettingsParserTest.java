package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.config.ConfigException;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.config.SettingsParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubeSettingsParserTest {
    private static KubeSettingsParser.Raw kube(String nodeEnv, String ns, String podNs, String grace) {
        return new KubeSettingsParser.Raw(true, nodeEnv, ns, podNs, null, null, grace);
    }

    @Test
    void defaultsComeFromTheDownwardApi() throws ConfigException {
        KubeSettings k = KubeSettingsParser.parse(kube("node-1", null, "weft-system", null), null, null);
        assertThat(k).isEqualTo(new KubeSettings("node-1", "weft-system", "weft-founding", "weft-reclaim",
                Duration.ofSeconds(120)));
        assertThat(KubeSettingsParser.parse(kube("node-1", null, null, null), null, null).namespace())
                .isEqualTo("kube-system");
        assertThat(KubeSettingsParser.parse(kube("node-1", "mine", "weft-system", null), null, null).namespace())
                .isEqualTo("mine");
        assertThat(KubeSettingsParser.parse(kube("node-1", null, null, null), "other", null).nodeName())
                .isEqualTo("other");
    }

    @Test
    void offUnlessAskedAndItsFlagsNeedIt() throws ConfigException {
        assertThat(KubeSettingsParser.parse(KubeSettingsParser.Raw.off(), "x", "observer")).isNull();
        var stray = new KubeSettingsParser.Raw(false, "node-1", null, null, null, null, "60s");
        assertThatThrownBy(() -> KubeSettingsParser.parse(stray, null, null)).hasMessageContaining("--pod-grace")
                .hasMessageContaining("--kubernetes");
    }

    @Test
    void refusesWithoutANodeNameOrWithABootstrap() {
        assertThatThrownBy(() -> KubeSettingsParser.parse(kube(null, null, null, null), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NODE_NAME")
                .hasMessageContaining("spec.nodeName");
        assertThatThrownBy(() -> KubeSettingsParser.parse(kube("n", null, null, null), null, "seeds=a"))
                .hasMessageContaining("--bootstrap").hasMessageContaining("founding ConfigMap");
    }

    @Test
    void graceTakesUnitsAndAFloor() throws ConfigException {
        assertThat(KubeSettingsParser.grace("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(KubeSettingsParser.grace("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(KubeSettingsParser.grace("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> KubeSettingsParser.grace("2s")).hasMessageContaining("too short");
        assertThatThrownBy(() -> KubeSettingsParser.grace("soon")).hasMessageContaining("120s");
        assertThatThrownBy(() -> KubeSettingsParser.parse(kube("n", "Bad_NS", null, null), null, null))
                .hasMessageContaining("--kube-namespace");
    }

    @Test
    void kubernetesModeInTheDaemonsSettings() throws ConfigException {
        var raw = new SettingsParser.Raw(null, null, null, null, null, null, null, null, true, "/tmp/d", "/tmp/s.sock",
                null, null, null, null, null, kube("node-7", null, null, null));
        Settings s = SettingsParser.parse(raw);
        assertThat(s.name()).isEqualTo("node-7");
        assertThat(s.kube().nodeName()).isEqualTo("node-7");
        assertThat(s.bootstrap()).isInstanceOf(Bootstrap.Observer.class);
        assertThat(s.succession().uniqueNames()).isTrue();
        assertThat(s.listen().host()).isEqualTo("0.0.0.0");

        var noCredentials = new SettingsParser.Raw(null, null, null, null, null, null, null, null, false, "/tmp/d",
                "/tmp/s.sock", null, null, null, null, null, kube("node-7", null, null, null));
        assertThatThrownBy(() -> SettingsParser.parse(noCredentials)).hasMessageContaining("--kubernetes")
                .hasMessageContaining("--ca-cert");
    }
}

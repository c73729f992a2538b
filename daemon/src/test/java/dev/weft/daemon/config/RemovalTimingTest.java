package dev.weft.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.daemon.api.RemovalGrace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --removal-grace and --takeover-cooldown: defaults, accepted times, and a clear refusal below the floors. */
class RemovalTimingTest {
    @Test
    void defaultsWhenNotGivenAndTheGivenTimesOtherwise() throws ConfigException {
        assertThat(RemovalTiming.parse(null, " ")).isEqualTo(RemovalTiming.STANDARD);
        assertThat(RemovalTiming.STANDARD.grace().millis()).isEqualTo(60_000);
        assertThat(RemovalTiming.STANDARD.takeoverCooldown()).isEqualTo(60_000);
        RemovalTiming t = RemovalTiming.parse("2m", "15");
        assertThat(t.grace().millis()).isEqualTo(120_000);
        assertThat(t.takeoverCooldown()).isEqualTo(15_000);
        assertThat(RemovalTiming.parse("15s", "10s")).isEqualTo(
                new RemovalTiming(new RemovalGrace(15_000), 10_000));
    }

    @Test
    void refusesTimesBelowTheFloorsOrNotTimesAtAll() {
        assertThatThrownBy(() -> RemovalTiming.parse("14s", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--removal-grace (WEFT_REMOVAL_GRACE) 14s is too short")
                .hasMessageContaining("Give 15s or more");
        assertThatThrownBy(() -> RemovalTiming.parse(null, "9s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--takeover-cooldown (WEFT_TAKEOVER_COOLDOWN) 9s is too short")
                .hasMessageContaining("Give 10s or more");
        assertThatThrownBy(() -> RemovalTiming.parse("a minute", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--removal-grace (WEFT_REMOVAL_GRACE) 'a minute': write a time like 60s");
        assertThatThrownBy(() -> new RemovalTiming(RemovalTiming.STANDARD.grace(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCooldownReachesTheCoreAndNothingElseChanges() {
        CoreConfig d = CoreConfig.defaults(Cidr.parse("10.32.0.0/12"), new Bootstrap.Seeds(List.of("a")))
                .withUniqueNames(true);
        CoreConfig c = new RemovalTiming(RemovalTiming.STANDARD.grace(), 12_000).applyTo(d);
        assertThat(c.takeoverCooldown()).isEqualTo(12_000);
        assertThat(new RemovalTiming(RemovalTiming.STANDARD.grace(), d.takeoverCooldown()).applyTo(d)).isEqualTo(d);
    }

    @Test
    void theFlagsReachTheSettings() throws ConfigException {
        SettingsParser.Raw raw = new SettingsParser.Raw(null, "a", null, null, null, null, null, null, false, null,
                null, null, null, null, null, null, null, false, null, false, null, "20s", "30s");
        Settings s = SettingsParser.parse(raw);
        assertThat(s.removal().grace().millis()).isEqualTo(20_000);
        assertThat(s.removal().takeoverCooldown()).isEqualTo(30_000);
    }
}

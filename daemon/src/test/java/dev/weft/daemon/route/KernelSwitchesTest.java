package dev.weft.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a folder standing for /proc/sys: only the two settings are written, and only when off. */
class KernelSwitchesTest {
    @TempDir
    Path sys;

    @Test
    void turnsOnForwardingAtOnceAndProxyArpOnceTheBridgeExists() throws Exception {
        Files.createDirectories(sys.resolve("net/ipv4/conf/eth0"));
        Files.writeString(sys.resolve("net/ipv4/ip_forward"), "0\n");
        Files.writeString(sys.resolve("net/ipv4/conf/eth0/proxy_arp"), "0\n");
        KernelSwitches k = new KernelSwitches(sys, "weft0");

        assertThat(k.ensure()).containsExactly("net.ipv4.ip_forward=1");
        assertThat(sys.resolve("net/ipv4/conf/weft0")).as("nothing made for a bridge not there yet").doesNotExist();
        assertThat(Files.readString(sys.resolve("net/ipv4/ip_forward")).strip()).isEqualTo("1");

        Files.createDirectories(sys.resolve("net/ipv4/conf/weft0"));
        Files.createDirectories(sys.resolve("net/ipv4/neigh/weft0"));
        Files.writeString(sys.resolve("net/ipv4/conf/weft0/proxy_arp"), "0\n");
        Files.writeString(sys.resolve("net/ipv4/neigh/weft0/proxy_delay"), "80\n");
        assertThat(k.ensure()).containsExactly("net.ipv4.conf.weft0.proxy_arp=1", "net.ipv4.neigh.weft0.proxy_delay=0");
        assertThat(k.ensure()).isEmpty();
        assertThat(Files.readString(sys.resolve("net/ipv4/conf/weft0/proxy_arp")).strip()).isEqualTo("1");
        assertThat(Files.readString(sys.resolve("net/ipv4/neigh/weft0/proxy_delay")).strip()).isEqualTo("0");
        assertThat(Files.readString(sys.resolve("net/ipv4/conf/eth0/proxy_arp")).strip()).isEqualTo("0");
    }

    @Test
    void aSettingThatCannotBeWrittenSaysWhatIsNeeded() throws Exception {
        Files.createDirectories(sys.resolve("net/ipv4/ip_forward")); // a folder: reading it fails like a bad /proc
        KernelSwitches k = new KernelSwitches(sys, "weft0");
        org.assertj.core.api.Assertions.assertThatThrownBy(k::ensure).isInstanceOf(java.io.IOException.class);
    }
}

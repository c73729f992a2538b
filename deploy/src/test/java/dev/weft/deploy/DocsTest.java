package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.daemon.Weftd;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;

/** docs/operations.md's configuration reference names every flag and variable weftd declares. */
class DocsTest {

    @Test
    void theConfigurationTableNamesEveryFlagAndVariable() throws IOException {
        String doc = Files.readString(Sources.root().resolve("docs/operations.md"));
        String config = doc.substring(doc.indexOf("## Configuration"), doc.indexOf("## What each status means"));
        for (Field f : Weftd.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o == null) {
                continue;
            }
            for (String name : o.names()) {
                assertThat(config).as("docs/operations.md, Configuration: flag " + name).contains("`" + name);
            }
        }
        for (String env : new DaemonFlags().envNames()) {
            assertThat(config).as("docs/operations.md, Configuration: variable " + env).contains("`" + env);
        }
        for (String flag : DaemonFlags.PENDING) {
            assertThat(config).as("docs/operations.md, Configuration: flag " + flag).contains("`" + flag);
        }
    }
}

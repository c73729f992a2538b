package dev.weft.daemon.loop;

import dev.weft.core.node.Record;
import java.io.IOException;
import java.util.List;

/** Makes one batch of records durable, all or nothing, before returning (the store; a recorder in tests). */
@FunctionalInterface
public interface BatchWriter {
    void write(List<Record> batch) throws IOException;
}

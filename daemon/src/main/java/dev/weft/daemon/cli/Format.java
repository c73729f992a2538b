package dev.weft.daemon.cli;

/** How a command prints its answer, as kubectl's {@code -o}. */
enum Format {
    table, wide, json
}

package dev.weft.core.node;

/** The answer to request {@code id}. */
public record Reply(long id, Result result) {}

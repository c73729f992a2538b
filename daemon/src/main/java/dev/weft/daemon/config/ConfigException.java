package dev.weft.daemon.config;

/** A flag or environment variable with a bad value; the message names it and says what to write. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}

package dev.weft.daemon.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A time as operators write it in a flag: a whole number of seconds, minutes or hours (120s, 5m, 1h; bare = s). */
public final class TimeText {
    private static final Pattern TIME = Pattern.compile("(\\d{1,7})\\s*(s|m|h)?");

    private TimeText() {}

    /**
     * The time {@code text} says; a ConfigException naming {@code flag} and showing {@code hint} (examples and
     * the default) when it is no such time.
     */
    public static Duration parse(String flag, String text, String hint) throws ConfigException {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(flag + " '" + text + "': write a time like " + hint);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}

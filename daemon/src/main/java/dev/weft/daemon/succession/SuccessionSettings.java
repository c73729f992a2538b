package dev.weft.daemon.succession;

import java.nio.file.Path;

/**
 * Whether this weftd takes over older installs under its own name, and where it learns which pods outlived
 * their data folder.
 *
 * @param uniqueNames names are unique per node ({@code --unique-names}, env WEFT_UNIQUE_NAMES; Kubernetes mode
 *                    turns it on): another install under this peer's name is an earlier life of this same node
 * @param resultsDir libcni's result cache ({@code --cni-results-dir}, env WEFT_CNI_RESULTS_DIR)
 */
public record SuccessionSettings(boolean uniqueNames, Path resultsDir) {
    /** Where libcni keeps results unless the runtime gives it another cache folder. */
    public static final Path DEFAULT_RESULTS_DIR = Path.of("/var/lib/cni/results");
    public static final SuccessionSettings OFF = new SuccessionSettings(false, DEFAULT_RESULTS_DIR);

    public SuccessionSettings {
        if (resultsDir == null) {
            throw new IllegalArgumentException("--cni-results-dir (WEFT_CNI_RESULTS_DIR) needs a folder, like "
                    + DEFAULT_RESULTS_DIR);
        }
    }

    /** From the flags' raw text: an empty folder means the default. */
    public static SuccessionSettings parse(boolean uniqueNames, String resultsDir) {
        return new SuccessionSettings(uniqueNames, resultsDir == null || resultsDir.isBlank() ? DEFAULT_RESULTS_DIR
                : Path.of(resultsDir.trim()));
    }
}

package dev.sluice.server.config;

/**
 * One thing wrong with a configuration, located as precisely as it can be: file, line, section and key.
 * Reads like {@code maxscale.cnf:12: [RW-Split] slave_selecton_criteria: unknown parameter (did you mean
 * slave_selection_criteria?)}.
 *
 * @param file    the file as given to the loader, or null when the problem is not in one file
 * @param line    1-based line, or 0 when unknown
 * @param section the section name, or null for problems outside any section
 * @param key     the parameter as written, or null for problems with the section itself
 */
public record ConfigProblem(String file, int line, String section, String key, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (section != null) {
            sb.append('[').append(section).append("] ");
        }
        if (key != null) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }
}

package dev.sluice.cli;

import picocli.CommandLine;

/** The version shown by {@code --version}: the jar's implementation version, or "development". */
final class Version implements CommandLine.IVersionProvider {
    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Sluice " + get() + " (Java " + Runtime.version() + ")"};
    }
}

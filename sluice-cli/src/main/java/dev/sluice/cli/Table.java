package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;

/** maxctrl-style tables: a box of columns as wide as their widest cell, or tab-separated values. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
        print(out, CtlCommand.Format.TABLE, header, rows);
    }

    /** As a box, or with {@code TSV} one line per row, cells separated by tabs, no header (for scripts). */
    static void print(PrintWriter out, CtlCommand.Format format, List<String> header, List<List<String>> rows) {
        if (format == CtlCommand.Format.TSV) {
            for (List<String> r : rows) {
                out.println(String.join("\t", r.stream().map(c -> c.replaceAll("[\t\r\n]", " ")).toList()));
            }
            return;
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                for (String l : r.get(i).split("\n", -1)) {
                    width[i] = Math.max(width[i], l.length());
                }
            }
        }
        out.println(rule(width, "┌", "┬", "┐"));
        out.println(line(header, width));
        out.println(rule(width, "├", "┼", "┤"));
        for (List<String> r : rows) {
            lines(out, r, width);
        }
        out.println(rule(width, "└", "┴", "┘"));
    }

    /**
     * maxctrl's {@code show}: one object as a box of two columns, field and value; a value may span lines (JSON
     * objects are printed indented), with a rule between fields.
     */
    static void printFields(PrintWriter out, List<List<String>> fields) {
        int[] width = new int[2];
        for (List<String> f : fields) {
            for (int i = 0; i < 2; i++) {
                for (String l : f.get(i).split("\n", -1)) {
                    width[i] = Math.max(width[i], l.length());
                }
            }
        }
        out.println(rule(width, "┌", "┬", "┐"));
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.println(rule(width, "├", "┼", "┤"));
            }
            lines(out, fields.get(i), width);
        }
        out.println(rule(width, "└", "┴", "┘"));
    }

    /** One row whose cells may hold several lines. */
    private static void lines(PrintWriter out, List<String> row, int[] width) {
        List<String[]> split = row.stream().map(c -> c.split("\n", -1)).toList();
        int height = split.stream().mapToInt(a -> a.length).max().orElse(1);
        for (int l = 0; l < height; l++) {
            List<String> cells = new java.util.ArrayList<>();
            for (String[] c : split) {
                cells.add(l < c.length ? c[l] : "");
            }
            out.println(line(cells, width));
        }
    }

    private static String rule(int[] width, String left, String middle, String right) {
        StringBuilder sb = new StringBuilder(left);
        for (int i = 0; i < width.length; i++) {
            sb.append("─".repeat(width[i] + 2)).append(i == width.length - 1 ? right : middle);
        }
        return sb.toString();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder("│");
        for (int i = 0; i < width.length; i++) {
            sb.append(' ').append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length())).append(" │");
        }
        return sb.toString();
    }
}

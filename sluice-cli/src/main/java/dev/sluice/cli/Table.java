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
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        out.println(rule(width, "┌", "┬", "┐"));
        out.println(line(header, width));
        out.println(rule(width, "├", "┼", "┤"));
        for (List<String> r : rows) {
            out.println(line(r, width));
        }
        out.println(rule(width, "└", "┴", "┘"));
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

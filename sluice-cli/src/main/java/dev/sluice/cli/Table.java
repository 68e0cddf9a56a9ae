package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;

/** maxctrl-style tables: a box of columns as wide as their widest cell. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
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

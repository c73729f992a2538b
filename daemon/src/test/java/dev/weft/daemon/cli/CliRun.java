package dev.weft.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code weft} in-process as a user would type it, and parses what it printed (table or JSON). */
record CliRun(int code, String out, String err) {
    static CliRun weft(Path socket, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (socket != null) {
            all.add("--socket");
            all.add(socket.toString());
        }
        CommandLine cl = Weft.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(all.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(out);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + out, e);
        }
    }

    /**
     * The table's rows as maps from header to cell. Columns are split at runs of 3+ spaces, which the
     * printer puts between cells (cells themselves hold at most single spaces).
     */
    List<Map<String, String>> table() {
        String[] lines = out.split("\n");
        String[] headers = lines[0].trim().split(" {3,}");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].trim().split(" {3,}");
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < headers.length; c++) {
                row.put(headers[c], c < cells.length ? cells[c] : "");
            }
            rows.add(row);
        }
        return rows;
    }
}

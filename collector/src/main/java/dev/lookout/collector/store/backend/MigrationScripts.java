package dev.lookout.collector.store.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema steps of each dialect, as SQL files side by side ({@code db/sqlite/V1__requests.sql},
 * {@code db/postgresql/V1__requests.sql}, …) so that the two can be compared line by line. A file
 * holds one or more statements, each ending with a semicolon at the end of a line; lines starting
 * with {@code --} are comments. The lines of a statement are joined with single spaces.
 */
final class MigrationScripts {

  /**
   * The steps, in order, of every dialect: file i upgrades version i to i+1, and step i of one dialect
   * is step i of the other. Never edit a released step: append a new one.
   */
  static final List<String> STEPS = List.of(
      "V1__requests",
      "V2__logs_and_exceptions",
      "V3__rollups_and_counters",
      "V4__io",
      "V5__request_status_and_duration_classes",
      "V6__io_units",
      "V7__request_columns",
      "V8__log_search_by_writer",
      "V9__log_time_and_trace_index",
      "V10__request_details",
      "V11__partial_status_and_duration_indexes");

  private MigrationScripts() {}

  /** Each step's statements for {@code dialect} ({@code sqlite} or {@code postgresql}). */
  static List<List<String>> of(String dialect) {
    List<List<String>> steps = new ArrayList<>();
    for (String step : STEPS) {
      String resource = "/db/" + dialect + "/" + step + ".sql";
      try (InputStream in = MigrationScripts.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing migration " + resource);
        }
        steps.add(statements(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(steps);
  }

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : script.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      if (line.endsWith(";")) {
        statements.add(current.append(line, 0, line.length() - 1).toString());
        current.setLength(0);
      } else {
        current.append(line);
      }
    }
    if (current.length() > 0) {
      throw new IllegalStateException("a migration statement does not end with a semicolon: " + current);
    }
    return List.copyOf(statements);
  }
}

package dev.tollgate.report.focus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * FOCUS rows as CSV (RFC 4180: a header line, fields quoted when they hold a comma, quote or line
 * break, quotes doubled); a null is an empty field, and no non-null FOCUS value is ever empty.
 */
public final class FocusCsv {

  private FocusCsv() {}

  public static void write(List<FocusRow> rows, Appendable out) {
    try {
      line(FocusRow.COLUMNS, out);
      for (FocusRow row : rows) {
        List<String> values = new ArrayList<>(FocusRow.COLUMNS.size());
        for (String column : FocusRow.COLUMNS) values.add(row.get(column));
        line(values, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toString(List<FocusRow> rows) {
    StringBuilder sb = new StringBuilder();
    write(rows, sb);
    return sb.toString();
  }

  private static void line(List<String> values, Appendable out) throws IOException {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) out.append(',');
      String v = values.get(i);
      if (v == null) continue;
      if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
        out.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        out.append(v);
      }
    }
    out.append('\n');
  }
}

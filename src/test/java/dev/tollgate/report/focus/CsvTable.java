package dev.tollgate.report.focus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file read back the way a FOCUS consumer reads it (RFC 4180): the header, and each row as
 * column → value, an unquoted empty field being null.
 */
public record CsvTable(List<String> header, List<Map<String, String>> rows) {

  public static CsvTable parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i += 2;
          continue;
        }
        if (c == '"') quoted = false;
        else field.append(c);
        i++;
        continue;
      }
      switch (c) {
        case '"' -> {
          if (!field.isEmpty()) throw new IllegalArgumentException("quote inside an unquoted field at " + i);
          quoted = true;
          wasQuoted = true;
        }
        case ',' -> {
          record.add(value(field, wasQuoted));
          field.setLength(0);
          wasQuoted = false;
        }
        case '\r' -> { }
        case '\n' -> {
          record.add(value(field, wasQuoted));
          records.add(record);
          record = new ArrayList<>();
          field.setLength(0);
          wasQuoted = false;
        }
        default -> field.append(c);
      }
      i++;
    }
    if (quoted) throw new IllegalArgumentException("unterminated quoted field");
    if (!field.isEmpty() || !record.isEmpty()) {
      record.add(value(field, wasQuoted));
      records.add(record);
    }
    List<String> header = records.get(0);
    List<Map<String, String>> rows = new ArrayList<>();
    for (List<String> r : records.subList(1, records.size())) {
      if (r.size() != header.size()) {
        throw new IllegalArgumentException("row " + rows.size() + " has " + r.size() + " fields, the header " + header.size());
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int k = 0; k < header.size(); k++) row.put(header.get(k), r.get(k));
      rows.add(row);
    }
    return new CsvTable(List.copyOf(header), rows);
  }

  private static String value(StringBuilder field, boolean wasQuoted) {
    return field.isEmpty() && !wasQuoted ? null : field.toString();
  }
}

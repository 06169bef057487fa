package dev.tollgate.report.focus;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file back with parquet's own reader into FOCUS text values (decimals plain, date-times
 * {@code YYYY-MM-DDTHH:mm:ssZ}), so that it compares with the CSV and runs through the validator.
 */
public record ParquetTable(MessageType schema, Map<String, String> metadata, CsvTable table) {

  public static ParquetTable read(byte[] bytes) throws IOException {
    Path file = Files.createTempFile("focus", ".parquet");
    try {
      Files.write(file, bytes);
      return read(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  public static ParquetTable read(Path file) throws IOException {
    var options = ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(new GzipCodecs()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<String> header = schema.getFields().stream().map(Type::getName).toList();
      List<Map<String, String>> rows = new ArrayList<>();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        var records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) rows.add(values(schema, records.read()));
      }
      return new ParquetTable(schema, reader.getFooter().getFileMetaData().getKeyValueMetaData(), new CsvTable(header, rows));
    }
  }

  private static Map<String, String> values(MessageType schema, Group g) {
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Type field = schema.getType(i);
      if (g.getFieldRepetitionCount(i) == 0) {
        row.put(field.getName(), null);
        continue;
      }
      LogicalTypeAnnotation type = field.getLogicalTypeAnnotation();
      String value;
      if (type instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
        BigDecimal v = new BigDecimal(new BigInteger(g.getBinary(i, 0).getBytes()), d.getScale());
        value = FocusExporter.decimal(v);
      } else if (type instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
        long micros = g.getLong(i, 0);
        value = FocusExporter.DATE_TIME_TEXT.format(Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L))
            .atOffset(java.time.ZoneOffset.UTC));
      } else {
        value = g.getString(i, 0);
      }
      row.put(field.getName(), value);
    }
    return row;
  }
}

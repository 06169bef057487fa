package dev.tollgate.report.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.Test;

/** The FOCUS export as Parquet, read back with parquet's reader: the CSV's rows and values, typed, and still valid. */
class FocusParquetTest {

  private static FocusExporter.Result export() {
    return FocusExporter.export(FocusConformanceTest.fixture(), FocusConformanceTest.pricing(),
        new FocusExporter.Context("acme", Map.of("support", "CC-100"), FocusContractsConformanceTest.CONTRACTS,
            FocusContractsConformanceTest.FIRST, FocusContractsConformanceTest.END));
  }

  @Test
  void theParquetFileHoldsTheSameRowsAndValuesAsTheCsv() throws Exception {
    var result = export();
    ParquetTable parquet = ParquetTable.read(FocusParquet.toBytes(result.rows()));
    CsvTable csv = CsvTable.parse(FocusCsv.toString(result.rows()));
    assertThat(parquet.table().header()).isEqualTo(csv.header()).isEqualTo(FocusRow.COLUMNS);
    assertThat(parquet.table().rows()).hasSize(result.rows().size()).isEqualTo(csv.rows());
    assertThat(parquet.metadata()).containsEntry("focus_version", "1.2");
  }

  @Test
  void decimalsAreExactDecimalsAndDateTimesAreUtcTimestamps() throws Exception {
    var schema = ParquetTable.read(FocusParquet.toBytes(export().rows())).schema();
    var cost = schema.getType("ListCost").asPrimitiveType();
    assertThat(cost.getPrimitiveTypeName()).isEqualTo(PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY);
    assertThat(cost.getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.decimalType(24, 38));
    var start = schema.getType("ChargePeriodStart").asPrimitiveType();
    assertThat(start.getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
    assertThat(schema.getType("Tags").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.stringType());
  }

  @Test
  void theRowsReadBackPassTheValidatorsStaticRules() throws Exception {
    CsvTable table = ParquetTable.read(FocusParquet.toBytes(export().rows())).table();
    var report = FocusValidator.load().validate(table, FocusConformanceTest.CRITERIA);
    assertThat(report.failures()).as("MUST rules failed").isEmpty();
    assertThat(report.warnings()).as("SHOULD rules failed").isEmpty();
    assertThat(report.checked()).hasSizeGreaterThan(250);
  }

  @Test
  void anEmptyExportIsAValidFileWithTheColumnsAndNoRows() throws Exception {
    ParquetTable empty = ParquetTable.read(FocusParquet.toBytes(java.util.List.of()));
    assertThat(empty.table().header()).isEqualTo(FocusRow.COLUMNS);
    assertThat(empty.table().rows()).isEmpty();
  }

  /**
   * Hadoop is on the test class path (to read files back), so this runs the writer in a class loader
   * without it, as the shaded jar does: a reach into Hadoop after an upgrade fails here.
   */
  @Test
  void writingNeedsNoHadoopAtRunTime() throws Exception {
    java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.contains("/org/apache/hadoop/")) urls.add(java.nio.file.Path.of(entry).toUri().toURL());
    }
    try (var loader = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("org.apache.hadoop.conf.Configuration")).isInstanceOf(ClassNotFoundException.class);
      Class<?> rowType = loader.loadClass(FocusRow.class.getName());
      java.util.List<Object> rows = new java.util.ArrayList<>();
      for (FocusRow row : export().rows()) {
        rows.add(rowType.getConstructor(Map.class).newInstance(new java.util.HashMap<>(row.values())));
      }
      byte[] bytes = (byte[]) loader.loadClass(FocusParquet.class.getName()).getMethod("toBytes", java.util.List.class)
          .invoke(null, rows);
      assertThat(ParquetTable.read(bytes).table().rows()).isEqualTo(CsvTable.parse(FocusCsv.toString(export().rows())).rows());
    }
  }

  @Test
  void aDecimalFinerThanTheColumnIsRefusedNotRounded() {
    assertThat(FocusParquet.decimal("ListCost", "-0.000000000000000000000001").getBytes()).hasSize(16);
    assertThatThrownBy(() -> FocusParquet.decimal("ListCost", "0.0000000000000000000000001"))
        .hasMessageContaining("more than 24 decimals");
  }
}

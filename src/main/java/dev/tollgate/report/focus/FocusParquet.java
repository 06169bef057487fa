package dev.tollgate.report.focus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * FOCUS rows as a Parquet file: the same columns, in the same order, as {@link FocusCsv}, typed as the
 * FOCUS column types ask — Decimal columns as {@code DECIMAL(38, 24)} (exact: every value the export
 * makes has at most 21 decimals, and a finer one is refused, never rounded), Date/Time columns as
 * {@code TIMESTAMP(MICROS, UTC)}, everything else (String and the JSON columns) as UTF-8 {@code STRING};
 * every column optional, a null a real null. GZIP-compressed with {@code java.util.zip}.
 *
 * <p>Written through parquet-hadoop's {@link ParquetWriter} without Hadoop at run time: a plain
 * configuration, an {@link OutputFile} over any stream, and a codec factory of our own (parquet's
 * default one would load Hadoop's codecs). See docs/decisions/0006-parquet-without-hadoop.md.
 */
public final class FocusParquet {

  /** The FOCUS Decimal columns the export writes. */
  public static final Set<String> DECIMALS = Set.of("BilledCost", "ConsumedQuantity", "ContractedCost", "ContractedUnitPrice",
      "EffectiveCost", "ListCost", "ListUnitPrice", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost",
      "PricingCurrencyListUnitPrice", "PricingQuantity");
  /** The FOCUS Date/Time columns the export writes. */
  public static final Set<String> DATE_TIMES = Set.of("BillingPeriodEnd", "BillingPeriodStart", "ChargePeriodEnd",
      "ChargePeriodStart");
  public static final int PRECISION = 38;
  public static final int SCALE = 24;
  private static final int DECIMAL_BYTES = 16; // enough for 38 digits
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ISO_INSTANT;

  public static final MessageType SCHEMA = schema();

  private FocusParquet() {}

  /** Writes the rows to {@code out} (not closed). */
  public static void write(List<FocusRow> rows, OutputStream out) {
    try (ParquetWriter<FocusRow> writer = new Builder(new StreamOutputFile(out)).withConf(new PlainParquetConfiguration())
        .withCodecFactory(new GzipCodecs()).withCompressionCodec(CompressionCodecName.GZIP).build()) {
      for (FocusRow row : rows) writer.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] toBytes(List<FocusRow> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(rows, out);
    return out.toByteArray();
  }

  private static MessageType schema() {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (String column : FocusRow.COLUMNS) {
      if (DECIMALS.contains(column)) {
        b.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(DECIMAL_BYTES)
            .as(LogicalTypeAnnotation.decimalType(SCALE, PRECISION)).named(column);
      } else if (DATE_TIMES.contains(column)) {
        b.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named(column);
      } else {
        b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(column);
      }
    }
    return b.named("focus_cost_and_usage");
  }

  /** A FOCUS decimal text as the 16-byte two's complement of its value × 10^24; refuses what would round. */
  static Binary decimal(String column, String text) {
    BigDecimal value = new BigDecimal(text);
    if (value.scale() > SCALE) {
      throw new IllegalArgumentException(column + " " + text + " has more than " + SCALE + " decimals");
    }
    BigInteger unscaled = value.setScale(SCALE).unscaledValue();
    if (unscaled.abs().compareTo(BigInteger.TEN.pow(PRECISION)) >= 0) {
      throw new IllegalArgumentException(column + " " + text + " is beyond DECIMAL(" + PRECISION + ", " + SCALE + ")");
    }
    byte[] minimal = unscaled.toByteArray();
    byte[] fixed = new byte[DECIMAL_BYTES];
    byte pad = (byte) (unscaled.signum() < 0 ? 0xff : 0);
    int offset = DECIMAL_BYTES - minimal.length;
    for (int i = 0; i < offset; i++) fixed[i] = pad;
    System.arraycopy(minimal, 0, fixed, offset, minimal.length);
    return Binary.fromConstantByteArray(fixed);
  }

  /** A FOCUS date-time ({@code YYYY-MM-DDTHH:mm:ssZ}) as microseconds since the epoch. */
  static long micros(String text) {
    Instant t = DATE_TIME.parse(text, Instant::from);
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static final class Support extends WriteSupport<FocusRow> {
    private RecordConsumer consumer;

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
      return init((ParquetConfiguration) null);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(SCHEMA, Map.of("focus_version", "1.2", "writer", "tollgate"));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(FocusRow row) {
      consumer.startMessage();
      List<Type> fields = SCHEMA.getFields();
      for (int i = 0; i < fields.size(); i++) {
        String column = fields.get(i).getName();
        String value = row.get(column);
        if (value == null) continue;
        consumer.startField(column, i);
        if (DECIMALS.contains(column)) {
          consumer.addBinary(decimal(column, value));
        } else if (DATE_TIMES.contains(column)) {
          consumer.addLong(micros(value));
        } else {
          consumer.addBinary(Binary.fromString(value));
        }
        consumer.endField(column, i);
      }
      consumer.endMessage();
    }
  }

  private static final class Builder extends ParquetWriter.Builder<FocusRow, Builder> {
    Builder(OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<FocusRow> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return new Support();
    }

    @Override
    protected WriteSupport<FocusRow> getWriteSupport(ParquetConfiguration conf) {
      return new Support();
    }
  }

  /** Parquet writes front to back and only asks where it is: any stream will do. */
  private static final class StreamOutputFile implements OutputFile {
    private final OutputStream out;

    StreamOutputFile(OutputStream out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.flush(); // the caller owns the stream
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}

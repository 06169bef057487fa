package dev.tollgate.report.focus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet's GZIP codec (RFC 1952, as the Parquet format defines it) on {@code java.util.zip}, so that
 * writing needs neither Hadoop's codec classes nor a native library. Other codecs are refused.
 */
public final class GzipCodecs implements CompressionCodecFactory {

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    require(codec);
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
          bytes.writeAllTo(gzip);
        }
        return BytesInput.from(out.toByteArray());
      }

      @Override
      public CompressionCodecName getCodecName() {
        return CompressionCodecName.GZIP;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    require(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        try (InputStream in = new GZIPInputStream(bytes.toInputStream())) {
          return BytesInput.from(in.readNBytes(uncompressedSize));
        }
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
        byte[] compressed = new byte[compressedSize];
        input.get(compressed);
        output.put(decompress(BytesInput.from(compressed), uncompressedSize).toByteArray());
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public void release() {}

  private static void require(CompressionCodecName codec) {
    if (codec != CompressionCodecName.GZIP) throw new IllegalArgumentException("only GZIP is built in, not " + codec);
  }
}

package dev.sluice.api.query;

import io.netty.buffer.ByteBuf;

/**
 * Turns the SQL text of one COM_QUERY (possibly several statements) into a {@link QueryInfo}. It never throws
 * for any input and its cost is linear in the length of the text; what it cannot understand it reports with
 * {@link QueryType#UNKNOWN}.
 *
 * <p>Thread rules: an instance is confined to one routing worker (it keeps scratch buffers and a cache that are
 * not thread-safe); obtain one per worker from the classifier module's factory. The returned {@code QueryInfo}
 * is immutable and may be shared freely.
 *
 * <p>Text is read in the connection's character set, which must be ASCII-compatible (utf8mb4, utf8mb3, latin1,
 * ascii, binary); identifiers are decoded as UTF-8, with invalid sequences replaced.
 */
public interface QueryClassifier {

    /**
     * Classifies the readable bytes of {@code sql} (the statement text after the COM_QUERY command byte). The
     * buffer's indexes and reference count are left untouched: the caller keeps ownership.
     */
    QueryInfo classify(ByteBuf sql, QueryContext context);

    /** Classifies {@code length} bytes of {@code sql} from {@code offset}; the array is only read. */
    QueryInfo classify(byte[] sql, int offset, int length, QueryContext context);

    /** Classifies a statement given as text (encoded as UTF-8 first). */
    QueryInfo classify(String sql, QueryContext context);
}

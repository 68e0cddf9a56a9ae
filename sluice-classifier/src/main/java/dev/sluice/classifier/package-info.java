/**
 * The MariaDB statement classifier behind {@link dev.sluice.api.query.QueryClassifier}: a hand-written lexer over
 * the statement bytes ({@link dev.sluice.classifier.SqlLexer}), a keyword-driven classifier that walks the tokens
 * once ({@link dev.sluice.classifier.StatementClassifier} and the per-statement parsers it delegates to), the
 * hint comment parser, and a per-worker classification cache.
 *
 * <p>Everything here is pure Java with no I/O. Nothing throws for any input and every pass is linear in the
 * input length. Instances that keep scratch state ({@link dev.sluice.classifier.MariaDbQueryClassifier}, the
 * lexer, the cache) are confined to one routing worker; the static tables are immutable.
 */
package dev.sluice.classifier;

/**
 * What a statement is, as the classifier tells it: {@link dev.sluice.api.query.QueryClassifier} turns the SQL of
 * one COM_QUERY (or a text PREPARE) into an immutable {@link dev.sluice.api.query.QueryInfo} carrying a
 * {@link dev.sluice.api.query.QueryType} mask, an {@link dev.sluice.api.query.Operation}, the tables, databases
 * and functions named, routing {@link dev.sluice.api.query.Hint}s and a canonical form.
 *
 * <p>Routers, filters and loggers read these values and never scan the SQL again. All types here are immutable
 * and may be shared between threads; a {@code QueryClassifier} instance itself is confined to one worker.
 */
package dev.sluice.api.query;

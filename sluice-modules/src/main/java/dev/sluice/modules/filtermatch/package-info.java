/**
 * What Sluice's filter modules share, in MaxScale's vocabulary: the {@code match}/{@code options} regular
 * expressions ({@link dev.sluice.modules.filtermatch.FilterRegex}), the {@code user}/{@code source} session
 * conditions ({@link dev.sluice.modules.filtermatch.SessionMatch}). The statement text comes from the request
 * ({@link dev.sluice.api.chain.Request#sql()}), a rewritten COM_QUERY from
 * {@link dev.sluice.protocol.message.client.ComQuery}.
 */
package dev.sluice.modules.filtermatch;

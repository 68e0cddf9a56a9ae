/**
 * What Sluice's filter modules share, in MaxScale's vocabulary: the {@code match}/{@code options} regular
 * expressions ({@link dev.sluice.modules.filtermatch.FilterRegex}), the {@code user}/{@code source} session
 * conditions ({@link dev.sluice.modules.filtermatch.SessionMatch}) and reading and rewriting the text of a
 * COM_QUERY ({@link dev.sluice.modules.filtermatch.QueryText}).
 */
package dev.sluice.modules.filtermatch;

/**
 * regexfilter (MaxScale's name and parameters): rewrites the text of each COM_QUERY by replacing every match of
 * {@code match} with {@code replace}, in the sessions its {@code user} and {@code source} select.
 * {@code log_file} is not supported (a file write per statement does not belong on a routing worker);
 * {@code log_trace} logs each rewrite to the Sluice log.
 */
package dev.sluice.modules.regexfilter;

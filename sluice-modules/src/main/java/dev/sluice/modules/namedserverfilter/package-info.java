/**
 * namedserverfilter (MaxScale's name and parameters): statements whose text matches one of the filter's
 * regular expressions get a routing hint for the target paired with it — named servers, {@code ->master} or
 * {@code ->slave} — which readwritesplit honours like a {@code -- maxscale route to …} comment.
 */
package dev.sluice.modules.namedserverfilter;

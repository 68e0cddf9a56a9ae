package dev.sluice.modules.regexfilter;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.filter.FilterFactory;
import java.util.List;

/** Registers regexfilter (found through ServiceLoader like any external module). */
public final class RegexFilterModule implements ModuleProvider {
    public static final Module MODULE = new Module("regexfilter", List.of(), ModuleKind.FILTER, "1.0.0",
            "Rewrites the text of statements by regular-expression substitution", RegexFilterConfig.SPEC,
            (FilterFactory) RegexFilter::new);

    @Override
    public List<Module> modules() {
        return List.of(MODULE);
    }
}

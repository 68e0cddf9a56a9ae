package dev.sluice.server.auth.mariadbauth;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.auth.AuthenticatorFactory;
import dev.sluice.api.config.ParamSpec;
import java.util.List;

/**
 * The {@code mariadbauth} module. MaxScale's options for it ({@code skip_authentication}, {@code match_host},
 * {@code lower_case_table_names}, {@code cache_dir}, {@code inject_service_user}) are not implemented: a listener
 * that sets any of them in {@code authenticator_options} is refused at load rather than run with a setting that
 * does nothing.
 */
public final class MariaDbAuthModule {
    public static final Module MODULE = new Module("mariadbauth", List.of("mysqlauth", "mysql_native_password"),
            ModuleKind.AUTHENTICATOR, "0.1.0", "mysql_native_password for clients and backend logins",
            ParamSpec.of(), (AuthenticatorFactory) options -> {
                if (!options.isEmpty()) {
                    throw new IllegalArgumentException("mariadbauth: option" + (options.size() > 1 ? "s " : " ")
                            + String.join(", ", options.keySet()) + " not supported");
                }
                return new NativePasswordAuthenticator();
            });

    private MariaDbAuthModule() {
    }
}

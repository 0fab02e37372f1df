package io.flywheel.internalauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * For a service's REST clients of another Flywheel service ({@code @RegisterClientHeaders}): every
 * call carries an internal token, the service's own unless the call already names who it is for
 * (an {@code Authorization} header built with {@link InternalTokens#bearer}).
 */
@ApplicationScoped
public class ServiceCallerHeaders implements ClientHeadersFactory {

    private final InternalTokens tokens;

    public ServiceCallerHeaders(InternalTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (outgoing.getFirst(InternalTokens.HEADER) == null) {
            headers.putSingle(InternalTokens.HEADER, tokens.ownBearer());
        }
        return headers;
    }
}
